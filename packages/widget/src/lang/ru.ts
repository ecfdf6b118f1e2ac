import type { ChatStrings, DeskStrings, Strings } from '../i18n.js';

/** The chat's strings in ru (see ChatStrings in i18n.ts): all a chat-only pack carries. */
export const RU_CHAT: ChatStrings = {
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

/** The desk build's strings in ru (see DeskStrings in i18n.ts). */
export const RU_DESK: DeskStrings = {
  chooseTopic: 'С чем вам нужна помощь?',
  queuePosition: 'Вы {n}-й в очереди.',
  queueEta: 'Ожидание: около {min} мин.',
  queueEtaSoon: 'Ожидание: меньше минуты.',
  typing: '{name} печатает…',
  noAgents: 'Сейчас нет операторов в сети. Оставьте сообщение, и мы ответим по электронной почте.',
  closedHours: 'Сейчас нерабочее время. Оставьте сообщение, и мы ответим по электронной почте.',
  leaveMessage: 'Оставить сообщение',
  checkTicket: 'Проверить обращение',
  topicLabel: 'Тип проблемы',
  subjectLabel: 'Тема',
  descriptionLabel: 'Описание',
  emailLabel: 'Электронная почта',
  ticketNumberLabel: 'Номер обращения',
  submit: 'Отправить',
  lookUp: 'Найти',
  back: 'Назад',
  required: 'Заполните это поле.',
  badEmail: 'Введите правильный адрес электронной почты.',
  ticketCreated: 'Спасибо! Номер вашего обращения: {number}. Мы ответим по электронной почте.',
  ticketNotFound: 'Нет обращения с таким номером и адресом.',
  ticketStatus: 'Статус: {status}',
  tOpen: 'Открыто',
  tPending: 'Ждём вашего ответа',
  tSolved: 'Решено',
  tClosed: 'Закрыто',
  requestFailed: 'Что-то пошло не так. Попробуйте ещё раз.',
  noReplies: 'Ответов пока нет.',
  rateTitle: 'Как прошёл разговор?',
  rateScore: '{n} из 5',
  rateComment: 'Комментарий (необязательно)',
  rateSend: 'Отправить оценку',
  rateThanks: 'Спасибо за оценку!',
  downloadTranscript: 'Скачать переписку',
  emailTranscript: 'Прислать переписку на почту',
  transcriptSent: 'Переписка отправляется на {email}.',
  didItHelp: 'Это помогло?',
  yes: 'Да',
  no: 'Нет',
  helpedYes: 'Спасибо за отзыв!',
  helpedNo: 'Жаль, что это не помогло.',
  helpArticles: 'Справочные статьи',
  helpSearch: 'Поиск по справочным статьям',
  helpNone: 'Статьи не найдены.',
  helpOne: 'Найдена 1 статья',
  helpCount: 'Найдено статей: {n}',
  startChat: 'Написать нам в чат',
};

/**
 * The widget's strings in ru. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-ru.js (see lang/register.ts).
 *
 * @example
 * RU.send;
 */
export const RU: Strings = { ...RU_CHAT, ...RU_DESK };
