import type { ChatStrings, DeskStrings, Strings } from '../i18n.js';

/** The chat's strings in ko (see ChatStrings in i18n.ts): all a chat-only pack carries. */
export const KO_CHAT: ChatStrings = {
  title: '고객지원',
  openChat: '채팅 열기',
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
  savedAsTicket: '요청이 문의 {number}(으)로 저장되었습니다.',
};

/** The desk build's strings in ko (see DeskStrings in i18n.ts). */
export const KO_DESK: DeskStrings = {
  chooseTopic: '어떤 도움이 필요하신가요?',
  queuePosition: '대기 순서: {n}번째입니다.',
  queueEta: '예상 대기 시간: 약 {min}분',
  queueEtaSoon: '예상 대기 시간: 1분 미만',
  typing: '{name} 님이 입력 중…',
  noAgents: '지금은 채팅 가능한 상담원이 없습니다. 메시지를 남기시면 이메일로 답변드립니다.',
  closedHours: '지금은 상담 시간이 아닙니다. 메시지를 남기시면 이메일로 답변드립니다.',
  leaveMessage: '메시지 남기기',
  checkTicket: '문의 조회',
  topicLabel: '문제 유형',
  subjectLabel: '제목',
  descriptionLabel: '내용',
  emailLabel: '이메일',
  ticketNumberLabel: '문의 번호',
  submit: '제출',
  lookUp: '조회',
  back: '뒤로',
  required: '이 항목을 입력하세요.',
  badEmail: '올바른 이메일 주소를 입력하세요.',
  ticketCreated: '감사합니다! 문의 번호는 {number}입니다. 이메일로 답변드립니다.',
  ticketNotFound: '이 번호와 이메일에 맞는 문의가 없습니다.',
  ticketStatus: '상태: {status}',
  tOpen: '접수됨',
  tPending: '고객님의 답변 대기 중',
  tSolved: '해결됨',
  tClosed: '종료됨',
  requestFailed: '문제가 발생했습니다. 다시 시도하세요.',
  noReplies: '아직 답변이 없습니다.',
  rateTitle: '채팅은 어떠셨나요?',
  rateScore: '5점 중 {n}점',
  rateComment: '의견 (선택)',
  rateSend: '평가 보내기',
  rateThanks: '평가해 주셔서 감사합니다!',
  downloadTranscript: '대화 내용 다운로드',
  emailTranscript: '대화 내용을 이메일로 받기',
  transcriptSent: '대화 내용을 {email}(으)로 보내는 중입니다.',
  didItHelp: '도움이 되었나요?',
  yes: '예',
  no: '아니요',
  helpedYes: '알려 주셔서 감사합니다!',
  helpedNo: '도움이 되지 못해 죄송합니다.',
  helpArticles: '도움말 문서',
  helpSearch: '도움말 문서 검색',
  helpNone: '문서를 찾을 수 없습니다.',
  helpOne: '문서 1개',
  helpCount: '문서 {n}개',
  startChat: '채팅으로 문의하기',
};

/**
 * The widget's strings in ko. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-ko.js (see lang/register.ts).
 *
 * @example
 * KO.send;
 */
export const KO: Strings = { ...KO_CHAT, ...KO_DESK };
