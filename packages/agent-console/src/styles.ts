/**
 * The console's stylesheet. The relay serves a bare HTML shell, so the script brings its
 * own CSS. Colours keep at least 4.5:1 contrast; focus is always visible.
 *
 * @example
 * const style = document.createElement('style');
 * style.textContent = CONSOLE_CSS;
 */
export const CONSOLE_CSS = `
:root { color-scheme: light; --pc-fg: #1c1f24; --pc-muted: #545b66; --pc-line: #d5d9df; --pc-bg: #f6f7f9;
  --pc-accent: #0b57d0; --pc-danger: #b3261e; --pc-visitor: #ffffff; --pc-bot: #eef1f5; --pc-agent: #e3edff; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--pc-fg); background: var(--pc-bg); }
button, input, textarea { font: inherit; }
button { cursor: pointer; border: 1px solid var(--pc-line); background: #fff; color: var(--pc-fg); border-radius: 6px; padding: .35em .8em; }
button[disabled], button[aria-disabled="true"] { opacity: .6; cursor: default; }
:focus-visible { outline: 3px solid var(--pc-accent); outline-offset: 2px; }
.pc-vh { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.pc-error { color: var(--pc-danger); font-weight: 600; }
.pc-notice, .pc-note, .pc-hint, .pc-empty { color: var(--pc-muted); }
.pc-primary { background: var(--pc-accent); border-color: var(--pc-accent); color: #fff; }
.pc-danger { border-color: var(--pc-danger); color: var(--pc-danger); }
.pc-login { max-width: 22rem; margin: 10vh auto; padding: 0 1rem; }
.pc-login h1 { font-size: 1.1rem; color: var(--pc-muted); }
.pc-login fieldset { border: 0; padding: 0; margin: 0; display: grid; gap: .4rem; }
.pc-login input { padding: .45em .6em; border: 1px solid var(--pc-line); border-radius: 6px; }
.pc-login button { margin-top: .6rem; }
.pc-console { display: flex; flex-direction: column; height: 100vh; }
.pc-header { display: flex; align-items: center; gap: 1rem; padding: .5rem 1rem; border-bottom: 1px solid var(--pc-line); background: #fff; }
.pc-title { font-size: 1rem; margin: 0; margin-right: auto; }
.pc-state::before { content: ""; display: inline-block; width: .6em; height: .6em; border-radius: 50%; margin-right: .35em; background: #8a8f98; }
.pc-state-online::before { background: #1e8e3e; }
.pc-state-connecting::before, .pc-state-reconnecting::before { background: #b06000; }
.pc-panes { flex: 1; display: grid; grid-template-columns: minmax(16rem, 22rem) 1fr; min-height: 0; }
.pc-list-pane { border-right: 1px solid var(--pc-line); overflow: auto; background: #fff; }
.pc-tabs { display: flex; gap: .25rem; padding: .5rem; border-bottom: 1px solid var(--pc-line); position: sticky; top: 0; background: #fff; }
.pc-tab { border-color: transparent; }
.pc-tab[aria-selected="true"] { border-color: var(--pc-accent); color: var(--pc-accent); font-weight: 600; }
.pc-badge { display: inline-block; min-width: 1.4em; padding: 0 .3em; border-radius: 1em; background: var(--pc-bot); text-align: center; font-size: .85em; }
.pc-tabpanel { padding: .25rem; }
.pc-empty { padding: .75rem; margin: 0; }
.pc-rows { list-style: none; margin: 0; padding: 0; }
.pc-row { display: grid; gap: .15rem; width: 100%; text-align: left; border: 1px solid transparent; border-radius: 6px; padding: .5rem .6rem; background: none; position: relative; }
.pc-row:hover { background: var(--pc-bg); }
.pc-row-open { border-color: var(--pc-accent); background: var(--pc-agent); }
.pc-row-unread .pc-row-preview { font-weight: 600; }
.pc-row-preview { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-right: 4rem; }
.pc-row-meta { display: flex; gap: .5rem; color: var(--pc-muted); font-size: .85em; min-width: 0; }
.pc-row-url { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; flex: 1; }
.pc-unread { position: absolute; right: .6rem; top: .5rem; background: var(--pc-accent); color: #fff; border-radius: 1em; padding: 0 .5em; font-size: .8em; }
.pc-conversation-pane { overflow: auto; min-height: 0; }
.pc-placeholder { padding: 2rem; color: var(--pc-muted); }
.pc-conversation { display: grid; grid-template-columns: 1fr minmax(14rem, 18rem); height: 100%; }
.pc-conversation-main { display: flex; flex-direction: column; min-height: 0; padding: .75rem 1rem; gap: .5rem; }
.pc-conversation-heading { font-size: 1.1rem; margin: 0; }
.pc-conversation-status { color: var(--pc-muted); font-weight: normal; }
.pc-transcript { flex: 1; overflow: auto; border: 1px solid var(--pc-line); border-radius: 8px; background: #fff; padding: .5rem; min-height: 8rem; }
.pc-items { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .5rem; }
.pc-msg { max-width: 80%; padding: .45rem .7rem; border-radius: 10px; border: 1px solid var(--pc-line); }
.pc-msg-visitor { background: var(--pc-visitor); align-self: flex-start; }
.pc-msg-bot { background: var(--pc-bot); align-self: flex-start; border-style: dashed; }
.pc-msg-agent { background: var(--pc-agent); align-self: flex-end; }
.pc-msg-system { align-self: center; background: none; font-style: italic; }
.pc-msg-pending { opacity: .75; }
.pc-msg-meta { font-size: .8em; color: var(--pc-muted); }
.pc-msg-author { font-weight: 600; margin-right: .4em; }
.pc-msg-text { margin: .15rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.pc-msg-state { font-size: .8em; color: var(--pc-muted); }
.pc-msg-failed { color: var(--pc-danger); }
.pc-suggestions { margin: .3rem 0 0; padding-left: 1.1rem; font-size: .9em; }
.pc-status-line { align-self: center; font-size: .85em; color: var(--pc-muted); }
.pc-time { font-size: .9em; color: var(--pc-muted); }
.pc-actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.pc-actions p { margin: 0; }
.pc-confirm { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.pc-composer { display: grid; gap: .3rem; }
.pc-composer label { font-weight: 600; }
.pc-composer textarea { resize: vertical; padding: .45em .6em; border: 1px solid var(--pc-line); border-radius: 6px; white-space: pre-wrap; }
.pc-composer p { margin: 0; font-size: .85em; }
.pc-composer button { justify-self: end; }
.pc-context { border-left: 1px solid var(--pc-line); padding: .75rem 1rem; overflow: auto; background: #fff; }
.pc-context h3 { font-size: 1rem; margin-top: 0; }
.pc-context h4 { font-size: .9rem; margin-bottom: .25rem; }
.pc-context dl { margin: 0; }
.pc-context dt { font-size: .8em; color: var(--pc-muted); margin-top: .5rem; }
.pc-context dd { margin: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.pc-views { display: flex; gap: .25rem; }
.pc-views [aria-pressed=true] { background: var(--pc-accent); color: #fff; border-color: var(--pc-accent); }
.pc-row-flags { display: flex; flex-wrap: wrap; gap: .35rem; font-size: .8em; }
.pc-urgent { color: #fff; background: var(--pc-danger); border-radius: 4px; padding: 0 .4em; font-weight: 600; }
.pc-verified { color: #0a5c2f; font-weight: 600; }
.pc-verified::before { content: "✓ "; }
.pc-unverified { color: var(--pc-muted); }
.pc-row-topic { color: var(--pc-muted); }
.pc-msg-note { background: #fff7d6; border: 1px dashed #b38600; }
.pc-note-label { font-weight: 700; color: #6b4f00; text-transform: uppercase; font-size: .75em; letter-spacing: .04em; }
.pc-composer-note textarea { background: #fffbea; }
.pc-mode { border: 0; padding: 0; margin: 0 0 .25rem; display: flex; gap: 1rem; }
.pc-composer-actions { display: flex; gap: .5rem; }
.pc-replies { list-style: none; margin: .5rem 0 0; padding: 0; border: 1px solid var(--pc-line); border-radius: 6px; max-height: 14rem; overflow-y: auto; }
.pc-replies button { width: 100%; text-align: left; border: 0; border-radius: 0; }
.pc-reply-title { font-weight: 600; }
.pc-reply-text { color: var(--pc-muted); }
.pc-typing { min-height: 1.2em; margin: .25rem 0; font-size: .85em; color: var(--pc-muted); font-style: italic; }
.pc-rating q { margin-left: .5em; }
.pc-backdrop { position: fixed; inset: 0; background: rgba(0,0,0,.35); display: flex; align-items: center; justify-content: center; z-index: 10; }
.pc-dialog { background: #fff; border-radius: 8px; padding: 1rem 1.25rem; width: min(32rem, 92vw); max-height: 90vh; overflow-y: auto; }
.pc-dialog fieldset { border: 0; padding: 0; margin: 0 0 .75rem; }
.pc-dialog textarea { width: 100%; }
.pc-choice { display: block; padding: .2rem 0; }
.pc-dialog-actions { display: flex; gap: .5rem; margin-top: .75rem; }
.pc-tickets-pane { padding: 1rem; max-width: 60rem; }
.pc-ticket textarea { width: 100%; }
@media (max-width: 900px) {
  .pc-panes, .pc-conversation { grid-template-columns: 1fr; }
  .pc-list-pane { border-right: 0; border-bottom: 1px solid var(--pc-line); max-height: 40vh; }
  .pc-context { border-left: 0; border-top: 1px solid var(--pc-line); }
}
@media (prefers-reduced-motion: reduce) { * { scroll-behavior: auto !important; } }
`;
