// @ts-check
// The card: one at a time, three views.
//   finding  (hover an underline, or Ctrl+Shift+. in the box): message, why, how it matched,
//            suggestion buttons, Ignore, referrals; the ⋯ menu: pause on this site (for 1 hour, for
//            today, until turned back on; absent when IT forbids pausing), open the side panel
//   summary  (click/Enter on the chip): status, all findings with their severity, referrals, ⋯ menu
//   confirm  (a post was stopped): confirm-view.js
// Suggestions that edit the text are buttons; advice (no replacement, no insert) is a tip, in text.
// Keyboard: focus moves into the card when it is opened from the keyboard; Tab stays inside;
// Escape closes it and returns focus to the editor; Left/Right step through findings.
import { h } from './layer.js';
import { PAUSE_CHOICES, cardShortcutLabel, howMatched, isActionable } from '../../format.js';
import { button, iconButton, editingOffBlock, guidanceBlock, handoffBlock, hint, referralsBlock, staleBlock } from './card-blocks.js';
import { confirmStep } from './confirm-view.js';
import { overflowMenu } from './menu.js';
import { wrongControl } from './wrong-control.js';
import { placeCard } from './rects.js';
import { categoryName, severityName, t } from '../../i18n.js';

/** @typedef {import('../../protocol.js').Finding} Finding */
/** @typedef {import('../../protocol.js').Referral} Referral */

/** @typedef {import('./card-blocks.js').CardBox} CardBox */
/** @typedef {import('./card-blocks.js').PageActions} PageActions */

/**
 * @param {import('./layer.js').Layer} layer
 * @param {{actions: PageActions, onChange?: () => void}} opts  onChange: the card opened, changed or closed (re-render)
 */
export function createCard(layer, { actions, onChange = () => {} }) {
  const el = h('div', { class: 'card', hidden: true, tabindex: '-1' });
  const pageActions = actions; // showFinding's `actions` are the suggestions
  layer.cards.append(el);
  /** @type {{kind: 'finding'|'summary'|'confirm', box: CardBox, index?: number, anchor?: Element, items?: Finding[],
   *   onEdit?: () => void, mode: 'hover'|'pinned', variant?: string, step?: string}|null} */
  let view = null;

  // keep the editor focused when the card is clicked with the mouse
  el.addEventListener('mousedown', (e) => { if (/** @type {Element} */ (e.target).closest('button')) e.preventDefault(); });
  el.addEventListener('keydown', onKeydown);

  /** @param {KeyboardEvent} e */
  function onKeydown(e) {
    if (!view) return;
    e.stopPropagation(); // keys typed in the card are not the page's business
    if (e.key === 'Escape') {
      e.preventDefault();
      if (view.kind === 'confirm') view.onEdit?.(); else close(true);
    } else if (e.key === 'Tab') {
      const buttons = visibleButtons();
      if (!buttons.length) return;
      const i = buttons.indexOf(/** @type {HTMLButtonElement} */ (layer.shadow.activeElement));
      const next = e.shiftKey ? (i <= 0 ? buttons.length - 1 : i - 1) : (i + 1) % buttons.length;
      e.preventDefault();
      buttons[next].focus();
    } else if (view.kind === 'finding' && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      step(e.key === 'ArrowRight' ? 1 : -1, true);
    }
  }

  /** @param {number} d @param {boolean} focus */
  function step(d, focus) {
    if (!view || view.kind !== 'finding') return;
    const n = view.box.shown.length;
    if (!n) return;
    showFinding(view.box, (((view.index ?? 0) + d) % n + n) % n, { focus, mode: 'pinned' });
  }

  /** Buttons not inside a closed menu (Tab order, test hooks). */
  const visibleButtons = () => /** @type {HTMLButtonElement[]} */ ([...el.querySelectorAll('button')].filter((b) => {
    for (let a = /** @type {any} */ (b); a && a !== el; a = a.parentNode) if (a.hidden) return false;
    return true;
  }));

  /** The ⋯ menu: pausing (unless IT forbids it) and the side panel. @param {CardBox} box */
  const moreMenu = (box) => overflowMenu([
    ...(actions.pauseAllowed() ? PAUSE_CHOICES.map((c) => ({ label: t('menuPause', box.siteName, c.label), action: `pause:${c.duration}`, run: () => actions.pauseSite(c.duration, box.el) })) : []),
    { label: t('openSidePanel'), action: 'panel', run: () => actions.openSidePanel() },
  ], () => position());

  /** @param {(Node|string|null)[]} children */
  const fill = (...children) => el.replaceChildren(.../** @type {(Node|string)[]} */ (children.filter((c) => c !== null)));

  /** @param {CardBox} box */
  const refsBlock = (box) => referralsBlock(box, (r) => { close(false); box.insertReferral(r); });
  /** @param {CardBox} box */
  const unsafeBlock = (box) => editingOffBlock(box, actions.openSidePanel);

  /**
   * @param {CardBox} box
   * @param {number} index
   * @param {{focus?: boolean, mode?: 'hover'|'pinned'}} [opts]
   */
  function showFinding(box, index, opts = {}) {
    const f = box.shown[index];
    if (!f) { close(false); return; }
    view = { kind: 'finding', box, index, mode: opts.mode ?? 'hover' };
    const n = box.shown.length;
    const how = howMatched(f);
    const handoffs = pageActions.handOff ? f.suggestions.filter((s) => s.handoff) : []; // "Send to <owner>" buttons
    const tips = f.suggestions.filter((s) => !isActionable(s) && !handoffs.includes(s));
    // index into f.suggestions: applySuggestion takes the companion's index
    const actions = f.suggestions.map((s, i) => ({ s, i })).filter(({ s }) => isActionable(s));
    el.setAttribute('role', 'dialog');
    el.setAttribute('aria-label', t('cardLabel', f.message));
    fill(
      h('div', { class: 'head' }, [
        h('span', { class: `sev ${f.severity}`, 'aria-hidden': 'true' }),
        h('span', { text: t('cardHead', categoryName(f.category), severityName(f.severity)) }),
        h('span', { class: 'nav' }, [
          n > 1 ? iconButton('‹', t('cardPrev'), 'prev', () => step(-1, true)) : null,
          n > 1 ? h('span', { text: `${index + 1}/${n}` }) : null,
          n > 1 ? iconButton('›', t('cardNext'), 'next', () => step(1, true)) : null,
          moreMenu(box),
          iconButton('×', t('cardClose'), 'close', () => close(true)),
        ]),
      ]),
      h('p', { class: 'msg', text: f.message }),
      f.why ? h('p', { class: 'why', text: t('cardWhy', f.why) }) : null,
      how ? h('p', { class: 'how', text: how }) : null,
      ...tips.map((s) => h('p', { class: 'tip', text: t('cardTip', s.label) })),
      staleBlock(box),
      handoffBlock(handoffs, (topic, withDraft) => { pageActions.handOff?.(box, topic, withDraft); }, onChange),
      h('div', { class: 'actions' }, [
        ...(box.insertionAllowed ? actions.map(({ s, i }, k) => button(s.label, `suggest:${i}`, () => { close(false); box.applySuggestion(f, i); }, k === 0 ? 'primary' : undefined)) : []),
        button(t('cardIgnore'), 'ignore', () => { box.ignore(f); refresh(); }, 'quiet'),
      ]),
      pageActions.markWrong ? wrongControl(button, (reason) => {
        pageActions.markWrong?.(box, f, reason);
        layer.announce(t('cardThanksWrong'));
        refresh();
      }, () => position()) : null,
      refsBlock(box),
      unsafeBlock(box),
      hint(t('cardHintFinding', cardShortcutLabel())),
    );
    box.setActive(f);
    open(opts.focus);
  }

  /**
   * @param {CardBox} box
   * @param {{focus?: boolean}} [opts]
   */
  function showSummary(box, opts = {}) {
    view = { kind: 'summary', box, mode: 'pinned' };
    el.setAttribute('role', 'dialog');
    el.setAttribute('aria-label', t('cardSummaryLabel'));
    fill(
      h('div', { class: 'head' }, [
        h('span', { text: t('extName') }),
        h('span', { class: 'nav' }, [moreMenu(box), iconButton('×', t('cardClose'), 'close', () => close(true))]),
      ]),
      h('p', { class: 'msg', text: box.statusText }),
      staleBlock(box),
      box.shown.length ? h('ul', { class: 'list' }, box.shown.map((f, i) => {
        const open = button(t('cardFindingItem', f.message, f.excerpt), `finding:${i}`, () => showFinding(box, i, { focus: true, mode: 'pinned' }));
        open.setAttribute('aria-label', t('cardFindingItemLabel', severityName(f.severity), f.message, f.excerpt)); // the dot is not read out
        return h('li', {}, [h('span', { class: `sev ${f.severity}`, title: severityName(f.severity), 'aria-hidden': 'true' }), open]);
      })) : null,
      refsBlock(box),
      guidanceBlock(box, pageActions.guidance?.() ?? []),
      box.packText ? h('div', { class: 'status', text: box.packText }) : null,
      unsafeBlock(box),
      box.shown.length ? hint(t('cardHintSummary', cardShortcutLabel())) : null,
    );
    box.setActive(null);
    open(opts.focus);
  }

  /**
   * A held post (confirm-view.js). `unchecked`: PostGuard could not check the draft at all (Wait /
   * Post anyway); otherwise `items` are its critical findings, `stale` when they come from an earlier
   * check that could not be repeated. `fix`: the first finding's first edit, offered as "Fix and post".
   * @param {CardBox} box
   * @param {Element} anchor  the post control
   * @param {Finding[]} items critical findings
   * @param {{onEdit: () => void, onPost: (reason: string|null) => void, onFix: () => void}} actions  onEdit also answers Wait and Escape
   * @param {{unchecked?: boolean, stale?: boolean, reason?: string, fix?: {label: string}|null}} [opts]  reason: why the companion did not answer
   */
  function showConfirm(box, anchor, items, actions, opts = {}) {
    const variant = opts.unchecked ? 'unchecked' : (opts.stale ? 'stale' : 'findings');
    view = { kind: 'confirm', box, anchor, items, onEdit: actions.onEdit, mode: 'pinned', variant, step: 'first' };
    el.setAttribute('role', 'alertdialog');
    el.setAttribute('aria-label', t('confirmTitle'));
    const first = confirmStep(button, {
      items, unchecked: opts.unchecked, stale: opts.stale, reason: opts.reason, fix: opts.fix ?? null,
      onEdit: actions.onEdit, onFix: actions.onFix, onPost: actions.onPost,
      onStep: (children, focus) => {
        if (!view || view.kind !== 'confirm') return;
        view.step = focus === 'edit' ? 'first' : 'reason';
        fill(...children);
        open(true, focus);
        layer.announce(view.step === 'reason' ? t('confirmReasonAnnounce') : t('confirmTitle'));
      },
    });
    fill(...first.children);
    box.setActive(null);
    open(true, first.focus);
    layer.announce(t('confirmAnnounce', el.querySelector('.msg')?.textContent ?? ''));
  }

  /** @param {boolean|undefined} focus @param {string} [action] the button to focus (else the first action) */
  function open(focus, action) {
    el.hidden = false;
    position();
    onChange();
    if (focus) {
      const first = (action ? el.querySelector(`button[data-action="${action}"]`) : null) ?? el.querySelector('.actions button') ?? el.querySelector('button');
      /** @type {HTMLElement} */ (first ?? el).focus({ preventScroll: true });
    }
  }

  /** @param {boolean} restoreFocus */
  function close(restoreFocus) {
    if (!view) return;
    const box = view.box;
    const hadFocus = layer.shadow.activeElement !== null && el.contains(layer.shadow.activeElement);
    view = null;
    el.hidden = true;
    el.replaceChildren();
    box.setActive(null);
    onChange();
    if (restoreFocus || hadFocus) box.el.focus({ preventScroll: true });
  }

  function position() {
    if (!view || el.hidden) return;
    /** @type {DOMRect|null} */
    let anchor = null;
    if (view.kind === 'finding') anchor = view.box.anchorRect(view.box.shown[view.index ?? 0] ?? null);
    else if (view.kind === 'confirm' && view.anchor) anchor = view.anchor.getBoundingClientRect();
    anchor ??= view.box.el.getBoundingClientRect();
    el.style.maxHeight = '';
    const size = { width: el.offsetWidth || 340, height: el.scrollHeight || el.offsetHeight || 160 };
    const p = placeCard(anchor, size, { width: innerWidth, height: innerHeight });
    el.style.left = `${p.left}px`;
    el.style.top = `${p.top}px`;
    // never over the flagged words: a card taller than the room beside them scrolls instead
    if (p.maxHeight !== null) el.style.maxHeight = `${p.maxHeight}px`;
  }

  /** Re-render the open view after the box changed (new results, ignore...). */
  function refresh() {
    if (!view) return;
    const focus = layer.shadow.activeElement !== null && el.contains(layer.shadow.activeElement);
    if (view.kind === 'finding') {
      if (!view.box.shown.length) close(focus);
      else showFinding(view.box, Math.min(view.index ?? 0, view.box.shown.length - 1), { focus, mode: view.mode });
    } else if (view.kind === 'summary') {
      showSummary(view.box, { focus });
    }
  }

  return {
    showFinding,
    showSummary,
    showConfirm,
    close,
    position,
    refresh,
    get view() { return view; },
    /** @param {number} x @param {number} y */
    contains(x, y) {
      if (!view || el.hidden) return false;
      const r = el.getBoundingClientRect();
      return x >= r.left - 4 && x <= r.right + 4 && y >= r.top - 4 && y <= r.bottom + 4;
    },
    /** Test hooks: what the card shows and where its buttons are. */
    snapshot() {
      if (!view || el.hidden) return { open: false };
      const f = view.kind === 'finding' ? view.box.shown[view.index ?? 0] : null;
      const focused = layer.shadow.activeElement;
      return {
        open: true,
        kind: view.kind,
        variant: view.variant ?? null,
        step: view.step ?? null,
        rect: (() => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; })(),
        stale: view.kind !== 'confirm' && view.box.stale,
        findingId: f ? f.id : null,
        text: el.innerText,
        focused: focused && el.contains(focused) ? focused.getAttribute('data-action') ?? 'card' : null,
        buttons: visibleButtons().map((b) => {
          const r = b.getBoundingClientRect();
          return { label: b.textContent, aria: b.getAttribute('aria-label'), action: b.getAttribute('data-action'), checked: b.getAttribute('aria-checked'), x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }),
      };
    },
  };
}

/** @typedef {ReturnType<typeof createCard>} Card */
