import type { Strings } from '../i18n.js';

/**
 * The widget's strings in ru. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-ru.js (see lang/register.ts).
 *
 * @example
 * RU.send;
 */
export const RU: Strings = {
  title: 'Поддержка',
  openChat: 'Открыть чат',
  closeChat: 'Закрыть чат',
  connecting: 'Подключение…',
  online: 'В сети',
  reconnecting: 'Переподключение…',
  offline: 'Нет соединения',
  chooseLanguage: 'Выберите язык',
  greeting: 'Здравствуйте! Чем мы можем помочь?',
  you: 'Вы',
  bot: 'Бот',
  agent: 'Оператор',
  system: 'Уведомление',
  sending: 'Отправка…',
  notSent: 'Не отправлено: {reason}',
  waitingStatus: 'Вы в очереди к оператору',
  joined: '{name} в чате',
  closedStatus: 'Разговор завершён',
  talkToPerson: 'Связаться с оператором',
  waitingNote: 'Оператор скоро ответит.',
  messageLabel: 'Ваше сообщение',
  placeholder: 'Введите сообщение…',
  send: 'Отправить',
  charsLeft: 'Осталось символов: {n}',
  startNew: 'Начать новый разговор',
  endChat: 'Завершить чат',
  safety: 'Мы никогда не попросим ваш пароль, закрытый ключ, сид-фразу или код 2FA.',
  savedAsTicket: 'Ваш запрос сохранён как обращение {number}.',
};
