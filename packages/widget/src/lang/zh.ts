import type { Strings } from '../i18n.js';

/**
 * The widget's strings in zh. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-zh.js (see lang/register.ts).
 *
 * @example
 * ZH.send;
 */
export const ZH: Strings = {
  title: '客服',
  openChat: '打开聊天',
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
  savedAsTicket: '您的请求已保存为工单 {number}。',
};
