import type { Strings } from '../i18n.js';

/**
 * The widget's strings in ko. Bundled into the npm build; the script-tag build loads it on
 * demand as dist/parley-lang-ko.js (see lang/register.ts).
 *
 * @example
 * KO.send;
 */
export const KO: Strings = {
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
