import type { ChatStrings, DeskStrings, Strings } from '../i18n.js';

/** The chat's strings in ja (see ChatStrings in i18n.ts): all a chat-only pack carries. */
export const JA_CHAT: ChatStrings = {
  title: 'サポート',
  openChat: 'チャットを開く',
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
  savedAsTicket: 'お問い合わせを{number}として保存しました。',
};

/** The desk build's strings in ja (see DeskStrings in i18n.ts). */
export const JA_DESK: DeskStrings = {
  chooseTopic: 'どのようなことでお困りですか？',
  queuePosition: '順番待ちの{n}番目です。',
  queueEta: '待ち時間の目安：約{min}分',
  queueEtaSoon: '待ち時間の目安：1分未満',
  typing: '{name}が入力中…',
  noAgents: '現在チャットできる担当者がいません。メッセージを残していただければ、メールでお返事します。',
  closedHours: '現在は営業時間外です。メッセージを残していただければ、メールでお返事します。',
  leaveMessage: 'メッセージを残す',
  checkTicket: 'お問い合わせを確認',
  topicLabel: '問題の種類',
  subjectLabel: '件名',
  descriptionLabel: '詳細',
  emailLabel: 'メールアドレス',
  ticketNumberLabel: 'お問い合わせ番号',
  submit: '送信',
  lookUp: '確認',
  back: '戻る',
  required: 'この項目を入力してください。',
  badEmail: '有効なメールアドレスを入力してください。',
  ticketCreated: 'ありがとうございます。お問い合わせ番号は{number}です。メールでお返事します。',
  ticketNotFound: 'この番号とメールアドレスに一致するお問い合わせはありません。',
  ticketStatus: '状態：{status}',
  tOpen: '受付中',
  tPending: 'お客様の返信待ち',
  tSolved: '解決済み',
  tClosed: '終了',
  requestFailed: 'エラーが発生しました。もう一度お試しください。',
  noReplies: 'まだ返信はありません。',
  rateTitle: 'チャットはいかがでしたか？',
  rateScore: '5段階中{n}',
  rateComment: 'コメント（任意）',
  rateSend: '評価を送信',
  rateThanks: '評価ありがとうございました！',
  downloadTranscript: '会話をダウンロード',
  emailTranscript: '会話をメールで受け取る',
  transcriptSent: '会話の記録を{email}に送信しています。',
  didItHelp: 'お役に立ちましたか？',
  yes: 'はい',
  no: 'いいえ',
  helpedYes: 'ご回答ありがとうございます。',
  helpedNo: 'お役に立てず申し訳ありません。',
  helpArticles: 'ヘルプ記事',
  helpSearch: 'ヘルプ記事を検索',
  helpNone: '記事が見つかりませんでした。',
  helpOne: '1 件の記事',
  helpCount: '{n} 件の記事',
  startChat: 'チャットで問い合わせる',
};

/**
 * The widget's strings in ja. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-ja.js (see lang/register.ts).
 *
 * @example
 * JA.send;
 */
export const JA: Strings = { ...JA_CHAT, ...JA_DESK };
