import type { Strings } from '../i18n.js';

/**
 * The widget's strings in es. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-es.js (see lang/register.ts).
 *
 * @example
 * ES.send;
 */
export const ES: Strings = {
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
