import type { Pack } from '../i18n.js';

/**
 * The widget's strings in ru: a {@link Pack}, one string per key of EN in EN's order
 * (i18n.test.ts checks the count and that each keeps its English placeholders). Bundled
 * into the npm build; the script-tag build loads it on demand as dist/parley-lang-ru.js.
 */
export const RU: Pack = [
  'Поддержка', // title
  'Открыть чат', // openChat
  'Закрыть чат', // closeChat
  'Подключение…', // connecting
  'В сети', // online
  'Переподключение…', // reconnecting
  'Нет соединения', // offline
  'Выберите язык', // chooseLanguage
  'Здравствуйте! Чем мы можем помочь?', // greeting
  'Вы', // you
  'Бот', // bot
  'Оператор', // agent
  'Уведомление', // system
  'Отправка…', // sending
  'Не отправлено: {reason}', // notSent
  'Вы в очереди к оператору', // waitingStatus
  '{name} в чате', // joined
  'Разговор завершён', // closedStatus
  'Связаться с оператором', // talkToPerson
  'Оператор скоро ответит.', // waitingNote
  'Ваше сообщение', // messageLabel
  'Введите сообщение…', // placeholder
  'Отправить', // send
  'Осталось символов: {n}', // charsLeft
  'Начать новый разговор', // startNew
  'Завершить чат', // endChat
  'Мы никогда не попросим ваш пароль, закрытый ключ, сид-фразу или код 2FA.', // safety
  'С чем вам нужна помощь?', // chooseTopic
  'Вы {n}-й в очереди.', // queuePosition
  'Ожидание: около {min} мин.', // queueEta
  'Ожидание: меньше минуты.', // queueEtaSoon
  '{name} печатает…', // typing
  'Сейчас нет операторов в сети. Оставьте сообщение, и мы ответим по электронной почте.', // noAgents
  'Сейчас нерабочее время. Оставьте сообщение, и мы ответим по электронной почте.', // closedHours
  'Оставить сообщение', // leaveMessage
  'Проверить обращение', // checkTicket
  'Тип проблемы', // topicLabel
  'Тема', // subjectLabel
  'Описание', // descriptionLabel
  'Электронная почта', // emailLabel
  'Номер обращения', // ticketNumberLabel
  'Отправить', // submit
  'Найти', // lookUp
  'Назад', // back
  'Заполните это поле.', // required
  'Введите правильный адрес электронной почты.', // badEmail
  'Спасибо! Номер вашего обращения: {number}. Мы ответим по электронной почте.', // ticketCreated
  'Нет обращения с таким номером и адресом.', // ticketNotFound
  'Статус: {status}', // ticketStatus
  'Открыто', // tOpen
  'Ждём вашего ответа', // tPending
  'Решено', // tSolved
  'Закрыто', // tClosed
  'Что-то пошло не так. Попробуйте ещё раз.', // requestFailed
  'Ответов пока нет.', // noReplies
  'Как прошёл разговор?', // rateTitle
  '{n} из 5', // rateScore
  'Комментарий (необязательно)', // rateComment
  'Отправить оценку', // rateSend
  'Спасибо за оценку!', // rateThanks
  'Скачать переписку', // downloadTranscript
  'Прислать переписку на почту', // emailTranscript
  'Переписка отправляется на {email}.', // transcriptSent
  'Ваш запрос сохранён как обращение {number}.', // savedAsTicket
];
