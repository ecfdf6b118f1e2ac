/**
 * Which script-tag build this is. `parley-widget-desk.js` (and the npm build, and tests) carry
 * the support desk's UI: the pre-chat problem type, the queue position and estimated wait,
 * typing indicators, the ticket form and lookup, rating and the transcript tools.
 * `parley-widget.js` is the chat alone, inside the 25 KB budget every visitor pays: rollup
 * replaces `__PARLEY_DESK__` with `false` there and drops the desk code as unreachable.
 */
declare const __PARLEY_DESK__: boolean | undefined;

/** True unless this build was made without the desk UI. */
export const DESK: boolean = typeof __PARLEY_DESK__ === 'undefined' || __PARLEY_DESK__;
