import type { ChatStrings, DeskStrings, Strings } from '../i18n.js';

/** The chat's strings in es (see ChatStrings in i18n.ts): all a chat-only pack carries. */
export const ES_CHAT: ChatStrings = {
  title: 'Soporte',
  openChat: 'Abrir chat',
  closeChat: 'Cerrar chat',
  connecting: 'Conectando…',
  online: 'En línea',
  reconnecting: 'Reconectando…',
  offline: 'Sin conexión',
  chooseLanguage: 'Elige tu idioma',
  greeting: '¡Hola! ¿En qué podemos ayudarte?',
  you: 'Tú',
  bot: 'Bot',
  agent: 'Agente',
  system: 'Aviso',
  sending: 'Enviando…',
  notSent: 'No enviado: {reason}',
  waitingStatus: 'Estás en la cola para hablar con una persona',
  joined: '{name} se unió',
  closedStatus: 'Conversación cerrada',
  talkToPerson: 'Hablar con una persona',
  waitingNote: 'Una persona te atenderá pronto.',
  messageLabel: 'Tu mensaje',
  placeholder: 'Escribe un mensaje…',
  send: 'Enviar',
  charsLeft: 'Quedan {n} caracteres',
  startNew: 'Iniciar una nueva conversación',
  endChat: 'Terminar chat',
  safety: 'Nunca te pediremos tu contraseña, clave privada, frase semilla ni código 2FA.',
  savedAsTicket: 'Tu solicitud se guardó como el ticket {number}.',
};

/** The desk build's strings in es (see DeskStrings in i18n.ts). */
export const ES_DESK: DeskStrings = {
  chooseTopic: '¿Con qué necesitas ayuda?',
  queuePosition: 'Eres el número {n} en la cola.',
  queueEta: 'Espera estimada: unos {min} min.',
  queueEtaSoon: 'Espera estimada: menos de un minuto.',
  typing: '{name} está escribiendo…',
  noAgents: 'Ahora no hay nadie disponible para chatear. Deja un mensaje y te responderemos por correo.',
  closedHours: 'Estamos fuera del horario de atención. Deja un mensaje y te responderemos por correo.',
  leaveMessage: 'Dejar un mensaje',
  checkTicket: 'Consultar un ticket',
  topicLabel: 'Tipo de problema',
  subjectLabel: 'Asunto',
  descriptionLabel: 'Descripción',
  emailLabel: 'Correo electrónico',
  ticketNumberLabel: 'Número de ticket',
  submit: 'Enviar',
  lookUp: 'Consultar',
  back: 'Volver',
  required: 'Rellena este campo.',
  badEmail: 'Introduce un correo electrónico válido.',
  ticketCreated: '¡Gracias! Tu número de ticket es {number}. Te responderemos por correo.',
  ticketNotFound: 'Ningún ticket coincide con este número y correo.',
  ticketStatus: 'Estado: {status}',
  tOpen: 'Abierto',
  tPending: 'Esperando tu respuesta',
  tSolved: 'Resuelto',
  tClosed: 'Cerrado',
  requestFailed: 'Algo salió mal. Inténtalo de nuevo.',
  noReplies: 'Aún no hay respuestas.',
  rateTitle: '¿Qué tal fue el chat?',
  rateScore: '{n} de 5',
  rateComment: 'Comentario (opcional)',
  rateSend: 'Enviar valoración',
  rateThanks: '¡Gracias por tu valoración!',
  downloadTranscript: 'Descargar la conversación',
  emailTranscript: 'Enviarme la conversación por correo',
  transcriptSent: 'La conversación se está enviando a {email}.',
  didItHelp: '¿Te ha ayudado?',
  yes: 'Sí',
  no: 'No',
  helpedYes: '¡Gracias por decírnoslo!',
  helpedNo: 'Lamentamos que no te haya ayudado.',
  helpArticles: 'Artículos de ayuda',
  helpSearch: 'Buscar en los artículos de ayuda',
  helpNone: 'No se encontraron artículos.',
  helpOne: '1 artículo',
  helpCount: '{n} artículos',
  startChat: 'Chatear con nosotros',
};

/**
 * The widget's strings in es. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-es.js (see lang/register.ts).
 *
 * @example
 * ES.send;
 */
export const ES: Strings = { ...ES_CHAT, ...ES_DESK };
