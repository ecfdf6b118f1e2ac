import { LANGS, OPEN_LABELS, matchLang, type Lang } from './shared.js';

export { LANGS, matchLang };
export type { Lang };

/**
 * Every string the widget shows.
 *
 * @example
 * const s: Strings = stringsFor('en');
 * s.talkToPerson; // 'Talk to a person'
 * `{name}`, `{reason}` and `{n}` are placeholders filled by
 * {@link format}. Override any of them per language with `mountWidget({ strings })`.
 */
export interface Strings {
  /** Panel title and the dialog's accessible name. */
  title: string;
  openChat: string;
  closeChat: string;
  connecting: string;
  online: string;
  reconnecting: string;
  offline: string;
  chooseLanguage: string;
  greeting: string;
  /** Screen-reader labels for who wrote a message (`agent` when the agent has no name). */
  you: string;
  bot: string;
  agent: string;
  system: string;
  sending: string;
  /** `{reason}`: why the relay refused the message. */
  notSent: string;
  waitingStatus: string;
  /** `{name}`: the agent's name. */
  joined: string;
  closedStatus: string;
  talkToPerson: string;
  waitingNote: string;
  messageLabel: string;
  placeholder: string;
  send: string;
  /** `{n}`: characters left. */
  charsLeft: string;
  startNew: string;
  /** Ends the conversation from the visitor's side. */
  endChat: string;
  safety: string;
}

/**
 * Each language's name in that language, for the picker.
 *
 * @example
 * LANG_NAMES.zh; // '中文'
 */
export const LANG_NAMES: Record<Lang, string> = {
  en: 'English',
  zh: '中文',
  es: 'Español',
  ru: 'Русский',
  ja: '日本語',
  ko: '한국어',
};

/**
 * The built-in translations.
 *
 * @example
 * STRINGS.es.talkToPerson; // 'Hablar con una persona'
 */
export const STRINGS: Record<Lang, Strings> = {
  en: {
    title: 'Support',
    openChat: OPEN_LABELS.en,
    closeChat: 'Close chat',
    connecting: 'Connecting…',
    online: 'Online',
    reconnecting: 'Reconnecting…',
    offline: 'Offline',
    chooseLanguage: 'Choose your language',
    greeting: 'Hi! How can we help?',
    you: 'You',
    bot: 'Bot',
    agent: 'Agent',
    system: 'Notice',
    sending: 'Sending…',
    notSent: 'Not sent: {reason}',
    waitingStatus: 'You are in the queue for a person',
    joined: '{name} joined',
    closedStatus: 'Conversation closed',
    talkToPerson: 'Talk to a person',
    waitingNote: 'A person will be with you soon.',
    messageLabel: 'Your message',
    placeholder: 'Type a message…',
    send: 'Send',
    charsLeft: '{n} characters left',
    startNew: 'Start a new conversation',
    endChat: 'End chat',
    safety: 'We will never ask for your password, private key, seed phrase or 2FA code.',
  },
  zh: {
    title: '客服',
    openChat: OPEN_LABELS.zh,
    closeChat: '关闭聊天',
    connecting: '正在连接…',
    online: '在线',
    reconnecting: '正在重新连接…',
    offline: '离线',
    chooseLanguage: '请选择语言',
    greeting: '您好！有什么可以帮您？',
    you: '您',
    bot: '机器人',
    agent: '客服',
    system: '通知',
    sending: '发送中…',
    notSent: '未发送：{reason}',
    waitingStatus: '您正在排队等待人工客服',
    joined: '{name} 已加入对话',
    closedStatus: '对话已结束',
    talkToPerson: '转人工客服',
    waitingNote: '人工客服即将为您服务。',
    messageLabel: '您的消息',
    placeholder: '输入消息…',
    send: '发送',
    charsLeft: '还可输入 {n} 个字符',
    startNew: '开始新的对话',
    endChat: '结束对话',
    safety: '我们绝不会索要您的密码、私钥、助记词或两步验证码。',
  },
  es: {
    title: 'Soporte',
    openChat: OPEN_LABELS.es,
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
  },
  ru: {
    title: 'Поддержка',
    openChat: OPEN_LABELS.ru,
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
  },
  ja: {
    title: 'サポート',
    openChat: OPEN_LABELS.ja,
    closeChat: 'チャットを閉じる',
    connecting: '接続中…',
    online: 'オンライン',
    reconnecting: '再接続中…',
    offline: 'オフライン',
    chooseLanguage: '言語を選択してください',
    greeting: 'こんにちは！ご用件をどうぞ。',
    you: 'あなた',
    bot: 'ボット',
    agent: '担当者',
    system: 'お知らせ',
    sending: '送信中…',
    notSent: '送信できませんでした：{reason}',
    waitingStatus: '担当者の対応を順番にお待ちいただいています',
    joined: '{name}が参加しました',
    closedStatus: '会話は終了しました',
    talkToPerson: '担当者と話す',
    waitingNote: 'まもなく担当者が対応します。',
    messageLabel: 'メッセージ',
    placeholder: 'メッセージを入力…',
    send: '送信',
    charsLeft: '残り{n}文字',
    startNew: '新しい会話を始める',
    endChat: 'チャットを終了',
    safety: 'パスワード、秘密鍵、シードフレーズ、2FAコードをお尋ねすることは決してありません。',
  },
  ko: {
    title: '고객지원',
    openChat: OPEN_LABELS.ko,
    closeChat: '채팅 닫기',
    connecting: '연결 중…',
    online: '온라인',
    reconnecting: '다시 연결 중…',
    offline: '오프라인',
    chooseLanguage: '언어를 선택하세요',
    greeting: '안녕하세요! 무엇을 도와드릴까요?',
    you: '나',
    bot: '봇',
    agent: '상담원',
    system: '알림',
    sending: '보내는 중…',
    notSent: '전송 실패: {reason}',
    waitingStatus: '상담원 연결을 기다리는 중입니다',
    joined: '{name} 님이 참여했습니다',
    closedStatus: '대화가 종료되었습니다',
    talkToPerson: '상담원과 대화하기',
    waitingNote: '곧 상담원이 응답합니다.',
    messageLabel: '메시지',
    placeholder: '메시지를 입력하세요…',
    send: '보내기',
    charsLeft: '{n}자 남음',
    startNew: '새 대화 시작',
    endChat: '채팅 종료',
    safety: '저희는 절대로 비밀번호, 개인 키, 시드 문구 또는 2FA 코드를 요구하지 않습니다.',
  },
};

/**
 * Per-language partial overrides of {@link STRINGS}, as `mountWidget({ strings })` takes them.
 *
 * @example
 * const strings: StringOverrides = { en: { title: 'Acme help' }, zh: { title: 'Acme 客服' } };
 */
export type StringOverrides = Partial<Record<Lang, Partial<Strings>>>;

/**
 * The strings for one language with the caller's overrides on top. Overrides that are not
 * strings are ignored, so a typo in a page's config cannot blank the UI.
 *
 * @example
 * stringsFor('en', { en: { title: 'Help desk' } }).title; // 'Help desk'
 */
export function stringsFor(lang: Lang, overrides?: StringOverrides): Strings {
  const out = { ...STRINGS[lang] };
  const own = overrides?.[lang];
  if (own && typeof own === 'object') {
    for (const key of Object.keys(out) as (keyof Strings)[]) {
      const value = own[key];
      if (typeof value === 'string') out[key] = value;
    }
  }
  return out;
}

/**
 * Fill `{placeholders}` in a string; unknown placeholders stay as they are.
 *
 * @example
 * format('{name} joined', { name: 'Ana' }); // 'Ana joined'
 */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
