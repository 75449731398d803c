// @ts-check
// The overlay's stylesheet (inside the closed shadow root; page CSS cannot reach it and it cannot
// reach the page).

export const SEVERITY_COLOR = Object.freeze({ info: '#1a73e8', warning: '#e8a100', critical: '#d93025' });

// On a dark page (theme.js sets .dark on the layer): the same parts in dark surfaces and light text.
const DARK = `
.layer.dark { color: #e8eaed; }
.dark .chip, .dark .paused { background: #292a2d; border-color: #5f6368; color: #e8eaed; }
.dark .chip.down { border-color: #f28b82; color: #f28b82; }
.dark .card, .dark .card .menu { background: #292a2d; border-color: #5f6368; box-shadow: 0 6px 24px rgba(0,0,0,.6); }
.dark .card .head, .dark .card .how, .dark .card .status, .dark .card .hint, .dark .paused .pause-icon { color: #bdc1c6; }
.dark .card .why, .dark .card .tip, .dark .card .fix, .dark .card .excerpt, .dark .card .menu button { color: #e8eaed; }
.dark .card button { background: #292a2d; border-color: #5f6368; color: #8ab4f8; }
.dark .card button.primary { background: #8ab4f8; border-color: #8ab4f8; color: #202124; }
.dark .card button.danger { background: #292a2d; border-color: #f28b82; color: #f28b82; }
.dark .card button.quiet, .dark .card button.icon { border-color: transparent; color: #bdc1c6; }
.dark .card ul.list button, .dark .paused button { color: #8ab4f8; }
.dark .card button.choice { color: #e8eaed; }
.dark .card button.choice[aria-checked="true"] { background: #394457; border-color: #8ab4f8; color: #d2e3fc; }
.dark .card .menu button:hover, .dark .card .menu button:focus-visible { background: #3c4043; }
.dark .card .refs { border-top-color: #5f6368; }
.dark .card .note { background: #3c3010; color: #fdd663; }
.dark .chip:focus-visible, .dark .card button:focus-visible, .dark .paused button:focus-visible { outline-color: #8ab4f8; }
`;

export const CSS = `
:host { all: initial; }
[hidden] { display: none !important; }
.layer { position: fixed; left: 0; top: 0; width: 0; height: 0; overflow: visible; pointer-events: none;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #202124; }
.measure { position: fixed; left: 0; top: 0; width: 0; height: 0; overflow: visible; visibility: hidden; }
.mark { position: fixed; pointer-events: none; box-sizing: border-box; border-bottom: 2px solid var(--c);
  background: color-mix(in srgb, var(--c) 12%, transparent); border-radius: 2px 2px 0 0; }
.mark.info { --c: ${SEVERITY_COLOR.info}; }
.mark.warning { --c: ${SEVERITY_COLOR.warning}; }
.mark.critical { --c: ${SEVERITY_COLOR.critical}; }
.mark.stale { --c: #80868b; border-bottom-style: dashed; } /* kept from an earlier check, not re-checked */
.mark.active { background: color-mix(in srgb, var(--c) 24%, transparent); }

.chip { position: fixed; pointer-events: auto; display: inline-flex; align-items: center; gap: 4px; height: 20px;
  padding: 0 7px; border-radius: 10px; border: 1px solid #dadce0; background: #fff; color: #3c4043;
  font: 600 11px/18px system-ui, sans-serif; cursor: pointer; box-shadow: 0 1px 3px rgba(0,0,0,.18); white-space: nowrap; }
.chip:focus-visible, .card button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
.chip .dot { width: 8px; height: 8px; border-radius: 50%; background: #34a853; flex: none; }
.chip.checking .dot { background: #9aa0a6; }
.chip.info .dot { background: ${SEVERITY_COLOR.info}; }
.chip.warning .dot { background: ${SEVERITY_COLOR.warning}; }
.chip.critical .dot { background: ${SEVERITY_COLOR.critical}; }
.chip.down { border-color: #f6aea9; color: #a50e0e; }
.chip.down .dot { background: #5f6368; }
.chip.down.warning .dot { background: ${SEVERITY_COLOR.warning}; } /* impostor on the port: a warning, not just "down" */

.card { position: fixed; pointer-events: auto; width: 340px; max-width: calc(100vw - 16px); box-sizing: border-box;
  background: #fff; border: 1px solid #dadce0; border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.22);
  padding: 12px 14px; z-index: 2; overflow-y: auto; overscroll-behavior: contain; }
.card .head { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; font-size: 11px; font-weight: 700;
  letter-spacing: .04em; text-transform: uppercase; color: #5f6368; }
.card .sev { width: 10px; height: 10px; border-radius: 50%; flex: none; }
.card .sev.info { background: ${SEVERITY_COLOR.info}; }
.card .sev.warning { background: ${SEVERITY_COLOR.warning}; }
.card .sev.critical { background: ${SEVERITY_COLOR.critical}; }
.card .head .nav { margin-left: auto; display: flex; align-items: center; gap: 2px; text-transform: none; letter-spacing: 0; }
.card .msg { font-size: 14px; font-weight: 600; margin: 0 0 4px; }
.card .why { margin: 0 0 4px; color: #3c4043; }
.card .how { margin: 0 0 8px; color: #5f6368; font-size: 12px; }
.card .tip { margin: 0 0 4px; color: #3c4043; font-size: 12px; }
.card .excerpt { font-weight: 600; color: #202124; }
.card .actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.card button { font: inherit; font-size: 12px; border-radius: 6px; padding: 4px 10px; cursor: pointer;
  border: 1px solid #dadce0; background: #fff; color: #1a73e8; }
.card button.primary { background: #1a73e8; border-color: #1a73e8; color: #fff; }
.card button.danger { background: #fff; border-color: #d93025; color: #d93025; }
.card button.quiet { border-color: transparent; color: #5f6368; }
.card button.icon { padding: 2px 6px; border-color: transparent; color: #5f6368; }
.card .refs { margin-top: 8px; border-top: 1px solid #eee; padding-top: 8px; }
.card .ref { margin: 4px 0; }
.card .ref .title { font-weight: 600; }
.card .note { margin-top: 8px; padding: 6px 8px; border-radius: 6px; background: #fef7e0; color: #5f4b00; font-size: 12px; }
.card ul.list { margin: 4px 0; padding: 0 0 0 16px; }
.card ul.list li { margin: 2px 0; }
.card ul.list button { padding: 0; border: 0; background: none; color: #1a73e8; text-align: left; font-size: 13px; }
.card .status { color: #5f6368; font-size: 12px; margin-top: 6px; }
.card ul.list li { display: flex; align-items: baseline; gap: 6px; }
.card ul.list .sev { width: 8px; height: 8px; flex: none; transform: translateY(-1px); }
.card .hint { margin-top: 8px; color: #5f6368; font-size: 11px; }
.card .fix { margin: 0 0 4px; color: #3c4043; font-size: 12px; }
.card .choices { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0 2px; }
.card button.choice { color: #3c4043; border-radius: 14px; }
.card button.choice[aria-checked="true"] { background: #e8f0fe; border-color: #1a73e8; color: #174ea6; font-weight: 600; }
.card .more-wrap { position: relative; display: inline-flex; }
.card .menu { position: absolute; right: 0; top: 100%; margin-top: 2px; min-width: 250px; display: flex; flex-direction: column;
  background: #fff; border: 1px solid #dadce0; border-radius: 8px; box-shadow: 0 4px 16px rgba(0,0,0,.2); padding: 4px 0; z-index: 3; }
.card .menu button { border: 0; border-radius: 0; text-align: left; color: #202124; padding: 6px 12px; white-space: nowrap; }
.card .menu button:hover, .card .menu button:focus-visible { background: #f1f3f4; outline-offset: -2px; }

.paused { position: fixed; pointer-events: auto; display: inline-flex; align-items: center; gap: 2px; height: 22px;
  padding: 0 2px 0 8px; border-radius: 11px; border: 1px solid #dadce0; background: #f1f3f4; color: #3c4043;
  font: 600 11px/20px system-ui, sans-serif; box-shadow: 0 1px 3px rgba(0,0,0,.18); white-space: nowrap; }
.paused .pause-icon { color: #5f6368; margin-right: 2px; }
.paused button { font: inherit; border: 0; background: none; color: #1a73e8; cursor: pointer; padding: 0 8px; border-radius: 9px; height: 18px; }
.paused button:focus-visible, .toast button:focus-visible { outline: 2px solid #1a73e8; outline-offset: 1px; }
.toast { position: fixed; left: 50%; bottom: 24px; transform: translateX(-50%); pointer-events: auto; display: flex; align-items: center;
  gap: 12px; max-width: calc(100vw - 32px); box-sizing: border-box; padding: 10px 12px 10px 16px; border-radius: 8px;
  background: #202124; color: #fff; font: 13px/1.4 system-ui, sans-serif; box-shadow: 0 4px 16px rgba(0,0,0,.3); }
.toast button { font: 600 13px/1.4 system-ui, sans-serif; border: 0; background: none; color: #8ab4f8; cursor: pointer; padding: 4px 8px; border-radius: 4px; }
.sr { position: fixed; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
${DARK}`;
