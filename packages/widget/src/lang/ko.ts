import type { Pack } from '../i18n.js';

/**
 * The widget's strings in ko: a {@link Pack}, one string per key of EN in EN's order
 * (i18n.test.ts checks the count and that each keeps its English placeholders). Bundled
 * into the npm build; the script-tag build loads it on demand as dist/parley-lang-ko.js.
 */
export const KO: Pack = [
  '고객지원', // title
  '채팅 열기', // openChat
  '채팅 닫기', // closeChat
  '연결 중…', // connecting
  '온라인', // online
  '다시 연결 중…', // reconnecting
  '오프라인', // offline
  '언어를 선택하세요', // chooseLanguage
  '안녕하세요! 무엇을 도와드릴까요?', // greeting
  '나', // you
  '봇', // bot
  '상담원', // agent
  '알림', // system
  '보내는 중…', // sending
  '전송 실패: {reason}', // notSent
  '상담원 연결을 기다리는 중입니다', // waitingStatus
  '{name} 님이 참여했습니다', // joined
  '대화가 종료되었습니다', // closedStatus
  '상담원과 대화하기', // talkToPerson
  '곧 상담원이 응답합니다.', // waitingNote
  '메시지', // messageLabel
  '메시지를 입력하세요…', // placeholder
  '보내기', // send
  '{n}자 남음', // charsLeft
  '새 대화 시작', // startNew
  '채팅 종료', // endChat
  '저희는 절대로 비밀번호, 개인 키, 시드 문구 또는 2FA 코드를 요구하지 않습니다.', // safety
  '어떤 도움이 필요하신가요?', // chooseTopic
  '대기 순서: {n}번째입니다.', // queuePosition
  '예상 대기 시간: 약 {min}분', // queueEta
  '예상 대기 시간: 1분 미만', // queueEtaSoon
  '{name} 님이 입력 중…', // typing
  '지금은 채팅 가능한 상담원이 없습니다. 메시지를 남기시면 이메일로 답변드립니다.', // noAgents
  '지금은 상담 시간이 아닙니다. 메시지를 남기시면 이메일로 답변드립니다.', // closedHours
  '메시지 남기기', // leaveMessage
  '문의 조회', // checkTicket
  '문제 유형', // topicLabel
  '제목', // subjectLabel
  '내용', // descriptionLabel
  '이메일', // emailLabel
  '문의 번호', // ticketNumberLabel
  '제출', // submit
  '조회', // lookUp
  '뒤로', // back
  '이 항목을 입력하세요.', // required
  '올바른 이메일 주소를 입력하세요.', // badEmail
  '감사합니다! 문의 번호는 {number}입니다. 이메일로 답변드립니다.', // ticketCreated
  '이 번호와 이메일에 맞는 문의가 없습니다.', // ticketNotFound
  '상태: {status}', // ticketStatus
  '접수됨', // tOpen
  '고객님의 답변 대기 중', // tPending
  '해결됨', // tSolved
  '종료됨', // tClosed
  '문제가 발생했습니다. 다시 시도하세요.', // requestFailed
  '아직 답변이 없습니다.', // noReplies
  '채팅은 어떠셨나요?', // rateTitle
  '5점 중 {n}점', // rateScore
  '의견 (선택)', // rateComment
  '평가 보내기', // rateSend
  '평가해 주셔서 감사합니다!', // rateThanks
  '대화 내용 다운로드', // downloadTranscript
  '대화 내용을 이메일로 받기', // emailTranscript
  '대화 내용을 {email}(으)로 보내는 중입니다.', // transcriptSent
  '요청이 문의 {number}(으)로 저장되었습니다.', // savedAsTicket
];
