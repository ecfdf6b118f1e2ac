import type { Pack } from '../i18n.js';

/**
 * The widget's strings in ja: a {@link Pack}, one string per key of EN in EN's order
 * (i18n.test.ts checks the count and that each keeps its English placeholders). Bundled
 * into the npm build; the script-tag build loads it on demand as dist/parley-lang-ja.js.
 */
export const JA: Pack = [
  'サポート', // title
  'チャットを開く', // openChat
  'チャットを閉じる', // closeChat
  '接続中…', // connecting
  'オンライン', // online
  '再接続中…', // reconnecting
  'オフライン', // offline
  '言語を選択してください', // chooseLanguage
  'こんにちは！ご用件をどうぞ。', // greeting
  'あなた', // you
  'ボット', // bot
  '担当者', // agent
  'お知らせ', // system
  '送信中…', // sending
  '送信できませんでした：{reason}', // notSent
  '担当者の対応を順番にお待ちいただいています', // waitingStatus
  '{name}が参加しました', // joined
  '会話は終了しました', // closedStatus
  '担当者と話す', // talkToPerson
  'まもなく担当者が対応します。', // waitingNote
  'メッセージ', // messageLabel
  'メッセージを入力…', // placeholder
  '送信', // send
  '残り{n}文字', // charsLeft
  '新しい会話を始める', // startNew
  'チャットを終了', // endChat
  'パスワード、秘密鍵、シードフレーズ、2FAコードをお尋ねすることは決してありません。', // safety
  'どのようなことでお困りですか？', // chooseTopic
  '順番待ちの{n}番目です。', // queuePosition
  '待ち時間の目安：約{min}分', // queueEta
  '待ち時間の目安：1分未満', // queueEtaSoon
  '{name}が入力中…', // typing
  '現在チャットできる担当者がいません。メッセージを残していただければ、メールでお返事します。', // noAgents
  '現在は営業時間外です。メッセージを残していただければ、メールでお返事します。', // closedHours
  'メッセージを残す', // leaveMessage
  'お問い合わせを確認', // checkTicket
  '問題の種類', // topicLabel
  '件名', // subjectLabel
  '詳細', // descriptionLabel
  'メールアドレス', // emailLabel
  'お問い合わせ番号', // ticketNumberLabel
  '送信', // submit
  '確認', // lookUp
  '戻る', // back
  'この項目を入力してください。', // required
  '有効なメールアドレスを入力してください。', // badEmail
  'ありがとうございます。お問い合わせ番号は{number}です。メールでお返事します。', // ticketCreated
  'この番号とメールアドレスに一致するお問い合わせはありません。', // ticketNotFound
  '状態：{status}', // ticketStatus
  '受付中', // tOpen
  'お客様の返信待ち', // tPending
  '解決済み', // tSolved
  '終了', // tClosed
  'エラーが発生しました。もう一度お試しください。', // requestFailed
  'まだ返信はありません。', // noReplies
  'チャットはいかがでしたか？', // rateTitle
  '5段階中{n}', // rateScore
  'コメント（任意）', // rateComment
  '評価を送信', // rateSend
  '評価ありがとうございました！', // rateThanks
  '会話をダウンロード', // downloadTranscript
  '会話をメールで受け取る', // emailTranscript
  '会話の記録を{email}に送信しています。', // transcriptSent
  'お問い合わせを{number}として保存しました。', // savedAsTicket
];
