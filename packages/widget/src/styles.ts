import { HOST_CSS, LAUNCHER_CSS } from './shared.js';
import { DESK } from './variant.js';

/** Pre-chat topics, ticket forms, rating, transcript tools, "Did this help?", the help center: only in the desk build (variant.ts). */
const DESK_CSS =
  '.one{grid-template-columns:1fr}.one .link{justify-self:start}' +
  '.stack{display:flex;flex-direction:column;align-items:stretch;gap:8px;padding:12px 14px;overflow-y:auto;border:0;flex:1}' +
  '.flat{padding:0;flex:none;overflow:visible}.stack h3,.stack h4,.stack p{margin:0}.stack h3{font-size:15px}' +
  '.fld{display:flex;flex-direction:column;gap:2px}.fld label{flex:none;display:block;font-size:13px;font-weight:600}' +
  'input,select{padding:6px 8px;border:1px solid #9ca3af;border-radius:8px;background:#fff}.stack textarea{flex:none;height:90px}' +
  '[aria-invalid=true]{border-color:#b91c1c}.err{color:#b91c1c;font-size:12px}.row{display:flex;gap:8px;align-items:center}' +
  'fieldset{border:0;margin:0;padding:0}legend{font-weight:600;margin-bottom:4px}.stars{display:flex;gap:2px}' +
  '.stars label{flex:none;position:relative;font-size:26px;line-height:1;color:#9ca3af;cursor:pointer;border-radius:6px}' +
  '.stars .on{color:#d97706}.stars input{position:absolute;opacity:0;width:1px;height:1px}.stars label:focus-within{outline:3px solid #93c5fd}' +
  '.tools{display:contents}.mail{width:100%;padding:4px 0;border:0;align-items:center;flex-wrap:wrap}.mail input{flex:1}' +
  '.sent{font-size:12px}.queue p{margin:0}.typing{margin:0;padding:2px 14px;font-size:12px;color:#4b5563;font-style:italic}' +
  '.ticket ul{list-style:none;margin:6px 0;padding:0;display:flex;flex-direction:column;gap:6px}.ticket .msg{max-width:100%}' +
  '.done{font-weight:600}.fb{margin:6px 0 0;display:flex;flex-wrap:wrap;gap:4px;align-items:center}' +
  '.help ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}.help h4{font-size:13px;margin-top:4px}' +
  '.help .link{padding:2px 0;color:#1d4ed8;text-align:left}.hint{display:block;font-size:12px;color:#4b5563}';

/**
 * The widget's whole stylesheet, placed in a <style> inside its shadow root: nothing here
 * can reach the page, and `HOST_CSS` stops the page's inherited styles (font, colour,
 * line-height, letter-spacing, text-transform, direction…) from reaching in. `.root` then
 * sets every inherited property the widget relies on explicitly.
 */
export const CSS =
  HOST_CSS +
  // The host's `all: initial` already hands its children the initial letter-spacing,
  // text-transform, white-space…; only what has no good initial value is set here.
  '.root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,"PingFang SC","Hiragino Sans","Malgun Gothic",sans-serif;color:#1f2328}' +
  '*{box-sizing:border-box}' +
  'button,textarea,input,select{font:inherit;color:inherit}' +
  LAUNCHER_CSS +
  '.dot{position:absolute;top:4px;right:4px;width:12px;height:12px;border-radius:50%;background:#ef4444;border:2px solid #fff}' +
  '.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:370px;max-width:calc(100vw - 40px);height:600px;' +
  'max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:#fff;border-radius:12px;overflow:hidden;' +
  'box-shadow:0 8px 30px rgba(0,0,0,.25)}' +
  '.solo{bottom:20px;max-height:calc(100vh - 40px)}' +
  '@media (max-width:480px){.panel{top:0;left:0;right:0;bottom:0;width:auto;height:auto;max-width:none;max-height:none;border-radius:0}}' +
  'header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#2563eb;color:#fff}' +
  '.t{margin:0;font-size:16px;font-weight:600}' +
  '.state{margin:0;font-size:12px;opacity:.9}' +
  '.x{margin-left:auto;background:none;border:0;font-size:24px;line-height:1;padding:2px 8px;border-radius:6px;cursor:pointer}' +
  '.x:focus-visible,.btn:focus-visible,.send:focus-visible{outline:3px solid #93c5fd;outline-offset:1px}' +
  '.note{margin:0;padding:6px 14px;font-size:12px;background:#fff8e1;color:#5c4400}' +
  '.log{flex:1;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px}' +
  '.msg{max-width:85%;padding:8px 12px;border-radius:12px;background:#f1f3f5;overflow-wrap:anywhere}' +
  '.text{white-space:pre-wrap}' +
  '.visitor{align-self:flex-end;background:#2563eb;color:#fff}' +
  '.bot{background:#eef2ff}.agent{background:#ecfdf5;border:1px solid #a7f3d0}' +
  '.who{display:block;font-size:11px;font-weight:600;color:#4b5563}' +
  '.pending{opacity:.7}.failed{background:#fef2f2;color:#7f1d1d;border:1px solid #fca5a5}' +
  '.meta{display:block;font-size:11px;margin-top:2px}' +
  '.status{align-self:center;margin:0;font-size:12px;color:#4b5563;text-align:center}' +
  '.sugg{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px}' +
  '.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}' +
  '.bar{margin:0;padding:8px 14px;border-top:1px solid #e5e7eb;font-size:13px}' +
  '.btn,.send{border:1px solid #2563eb;border-radius:8px;padding:6px 12px;background:#fff;color:#2563eb;cursor:pointer}' +
  '.send,.go{background:#2563eb;color:#fff}' +
  '.btn:disabled,.send:disabled{opacity:.5;cursor:default}' +
  '.end{border:0;padding-top:0;display:flex;flex-wrap:wrap;justify-content:flex-end;gap:4px 10px}.link{background:none;border:0;padding:2px;color:#4b5563;text-decoration:underline;cursor:pointer}' +
  '.link:focus-visible{outline:3px solid #93c5fd}' +
  '.pick{padding:16px 14px;display:grid;grid-template-columns:1fr 1fr;gap:8px;align-content:start;flex:1}' +
  '.pick h3{grid-column:1/-1;margin:0 0 4px;font-size:15px}' +
  'form{display:flex;gap:8px;align-items:flex-end;padding:10px 14px;border-top:1px solid #e5e7eb}' +
  'label{flex:1;display:flex}' +
  'textarea{flex:1;resize:none;height:60px;padding:8px;border:1px solid #9ca3af;border-radius:8px;background:#fff}' +
  '.count{font-size:11px;color:#6b7280;align-self:center}' +
  // Pre-chat topics, ticket forms, rating, transcript tools: the desk build's (variant.ts).
  (DESK ? DESK_CSS : '');
