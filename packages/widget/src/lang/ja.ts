import type { Strings } from '../i18n.js';

/**
 * The widget's strings in ja. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-ja.js (see lang/register.ts).
 *
 * @example
 * JA.send;
 */
export const JA: Strings = {
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
