import type { Pack } from '../i18n.js';

/**
 * The widget's strings in es: a {@link Pack}, one string per key of EN in EN's order
 * (i18n.test.ts checks the count and that each keeps its English placeholders). Bundled
 * into the npm build; the script-tag build loads it on demand as dist/parley-lang-es.js.
 */
export const ES: Pack = [
  'Soporte', // title
  'Abrir chat', // openChat
  'Cerrar chat', // closeChat
  'Conectando…', // connecting
  'En línea', // online
  'Reconectando…', // reconnecting
  'Sin conexión', // offline
  'Elige tu idioma', // chooseLanguage
  '¡Hola! ¿En qué podemos ayudarte?', // greeting
  'Tú', // you
  'Bot', // bot
  'Agente', // agent
  'Aviso', // system
  'Enviando…', // sending
  'No enviado: {reason}', // notSent
  'Estás en la cola para hablar con una persona', // waitingStatus
  '{name} se unió', // joined
  'Conversación cerrada', // closedStatus
  'Hablar con una persona', // talkToPerson
  'Una persona te atenderá pronto.', // waitingNote
  'Tu mensaje', // messageLabel
  'Escribe un mensaje…', // placeholder
  'Enviar', // send
  'Quedan {n} caracteres', // charsLeft
  'Iniciar una nueva conversación', // startNew
  'Terminar chat', // endChat
  'Nunca te pediremos tu contraseña, clave privada, frase semilla ni código 2FA.', // safety
  '¿Con qué necesitas ayuda?', // chooseTopic
  'Eres el número {n} en la cola.', // queuePosition
  'Espera estimada: unos {min} min.', // queueEta
  'Espera estimada: menos de un minuto.', // queueEtaSoon
  '{name} está escribiendo…', // typing
  'Ahora no hay nadie disponible para chatear. Deja un mensaje y te responderemos por correo.', // noAgents
  'Estamos fuera del horario de atención. Deja un mensaje y te responderemos por correo.', // closedHours
  'Dejar un mensaje', // leaveMessage
  'Consultar un ticket', // checkTicket
  'Tipo de problema', // topicLabel
  'Asunto', // subjectLabel
  'Descripción', // descriptionLabel
  'Correo electrónico', // emailLabel
  'Número de ticket', // ticketNumberLabel
  'Enviar', // submit
  'Consultar', // lookUp
  'Volver', // back
  'Rellena este campo.', // required
  'Introduce un correo electrónico válido.', // badEmail
  '¡Gracias! Tu número de ticket es {number}. Te responderemos por correo.', // ticketCreated
  'Ningún ticket coincide con este número y correo.', // ticketNotFound
  'Estado: {status}', // ticketStatus
  'Abierto', // tOpen
  'Esperando tu respuesta', // tPending
  'Resuelto', // tSolved
  'Cerrado', // tClosed
  'Algo salió mal. Inténtalo de nuevo.', // requestFailed
  'Aún no hay respuestas.', // noReplies
  '¿Qué tal fue el chat?', // rateTitle
  '{n} de 5', // rateScore
  'Comentario (opcional)', // rateComment
  'Enviar valoración', // rateSend
  '¡Gracias por tu valoración!', // rateThanks
  'Descargar la conversación', // downloadTranscript
  'Enviarme la conversación por correo', // emailTranscript
  'La conversación se está enviando a {email}.', // transcriptSent
  'Tu solicitud se guardó como el ticket {number}.', // savedAsTicket
];
