import type { Pack } from '../i18n.js';

/**
 * The widget's strings in zh: a {@link Pack}, one string per key of EN in EN's order
 * (i18n.test.ts checks the count and that each keeps its English placeholders). Bundled
 * into the npm build; the script-tag build loads it on demand as dist/parley-lang-zh.js.
 */
export const ZH: Pack = [
  '客服', // title
  '打开聊天', // openChat
  '关闭聊天', // closeChat
  '正在连接…', // connecting
  '在线', // online
  '正在重新连接…', // reconnecting
  '离线', // offline
  '请选择语言', // chooseLanguage
  '您好！有什么可以帮您？', // greeting
  '您', // you
  '机器人', // bot
  '客服', // agent
  '通知', // system
  '发送中…', // sending
  '未发送：{reason}', // notSent
  '您正在排队等待人工客服', // waitingStatus
  '{name} 已加入对话', // joined
  '对话已结束', // closedStatus
  '转人工客服', // talkToPerson
  '人工客服即将为您服务。', // waitingNote
  '您的消息', // messageLabel
  '输入消息…', // placeholder
  '发送', // send
  '还可输入 {n} 个字符', // charsLeft
  '开始新的对话', // startNew
  '结束对话', // endChat
  '我们绝不会索要您的密码、私钥、助记词或两步验证码。', // safety
  '您需要哪方面的帮助？', // chooseTopic
  '您在队列中排第 {n} 位。', // queuePosition
  '预计等待：约 {min} 分钟。', // queueEta
  '预计等待：不到一分钟。', // queueEtaSoon
  '{name} 正在输入…', // typing
  '现在没有客服可以对话。请留言，我们会通过电子邮件回复。', // noAgents
  '现在不在服务时间内。请留言，我们会通过电子邮件回复。', // closedHours
  '留言', // leaveMessage
  '查询工单', // checkTicket
  '问题类型', // topicLabel
  '主题', // subjectLabel
  '问题描述', // descriptionLabel
  '电子邮箱', // emailLabel
  '工单号', // ticketNumberLabel
  '提交', // submit
  '查询', // lookUp
  '返回', // back
  '请填写此项。', // required
  '请输入有效的电子邮箱地址。', // badEmail
  '谢谢！您的工单号是 {number}。我们会通过电子邮件回复。', // ticketCreated
  '没有与此工单号和邮箱匹配的工单。', // ticketNotFound
  '状态：{status}', // ticketStatus
  '处理中', // tOpen
  '等待您的回复', // tPending
  '已解决', // tSolved
  '已关闭', // tClosed
  '出错了，请重试。', // requestFailed
  '暂无回复。', // noReplies
  '您对本次对话满意吗？', // rateTitle
  '{n} 分（满分 5 分）', // rateScore
  '评论（可选）', // rateComment
  '提交评分', // rateSend
  '感谢您的评分！', // rateThanks
  '下载聊天记录', // downloadTranscript
  '通过电子邮件发送聊天记录', // emailTranscript
  '聊天记录正在发送至 {email}。', // transcriptSent
  '您的请求已保存为工单 {number}。', // savedAsTicket
];
