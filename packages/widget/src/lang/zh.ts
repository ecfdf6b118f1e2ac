import type { ChatStrings, DeskStrings, Strings } from '../i18n.js';

/** The chat's strings in zh (see ChatStrings in i18n.ts): all a chat-only pack carries. */
export const ZH_CHAT: ChatStrings = {
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

/** The desk build's strings in zh (see DeskStrings in i18n.ts). */
export const ZH_DESK: DeskStrings = {
  chooseTopic: '您需要哪方面的帮助？',
  queuePosition: '您在队列中排第 {n} 位。',
  queueEta: '预计等待：约 {min} 分钟。',
  queueEtaSoon: '预计等待：不到一分钟。',
  typing: '{name} 正在输入…',
  noAgents: '现在没有客服可以对话。请留言，我们会通过电子邮件回复。',
  closedHours: '现在不在服务时间内。请留言，我们会通过电子邮件回复。',
  leaveMessage: '留言',
  checkTicket: '查询工单',
  topicLabel: '问题类型',
  subjectLabel: '主题',
  descriptionLabel: '问题描述',
  emailLabel: '电子邮箱',
  ticketNumberLabel: '工单号',
  submit: '提交',
  lookUp: '查询',
  back: '返回',
  required: '请填写此项。',
  badEmail: '请输入有效的电子邮箱地址。',
  ticketCreated: '谢谢！您的工单号是 {number}。我们会通过电子邮件回复。',
  ticketNotFound: '没有与此工单号和邮箱匹配的工单。',
  ticketStatus: '状态：{status}',
  tOpen: '处理中',
  tPending: '等待您的回复',
  tSolved: '已解决',
  tClosed: '已关闭',
  requestFailed: '出错了，请重试。',
  noReplies: '暂无回复。',
  rateTitle: '您对本次对话满意吗？',
  rateScore: '{n} 分（满分 5 分）',
  rateComment: '评论（可选）',
  rateSend: '提交评分',
  rateThanks: '感谢您的评分！',
  downloadTranscript: '下载聊天记录',
  emailTranscript: '通过电子邮件发送聊天记录',
  transcriptSent: '聊天记录正在发送至 {email}。',
  didItHelp: '这有帮助吗？',
  yes: '是',
  no: '否',
  helpedYes: '感谢您的反馈！',
  helpedNo: '抱歉，这没能帮到您。',
  helpArticles: '帮助文章',
  helpSearch: '搜索帮助文章',
  helpNone: '没有找到相关文章。',
  helpOne: '1 篇文章',
  helpCount: '{n} 篇文章',
  startChat: '与我们聊天',
};

/**
 * The widget's strings in zh. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-zh.js (see lang/register.ts).
 *
 * @example
 * ZH.send;
 */
export const ZH: Strings = { ...ZH_CHAT, ...ZH_DESK };
