// www.instagram.com/create/: the "Create new post" dialog's caption box (Lexical) and Share.
import { mountLexical } from '../lib/lexicalBox.js';
import { expectEditors, recordPost } from '../lib/fixture.js';

expectEditors(['ig-caption']);

const el = document.getElementById('ig-caption-editor');
const counter = document.getElementById('ig-caption-count');
const placeholder = document.getElementById('ig-caption-ph');
mountLexical(el, 'ig-caption', {
  onChange: (text) => {
    placeholder.hidden = text !== '';
    counter.textContent = `${text.length.toLocaleString('en-US')}/2,200`;
  },
});
const share = document.querySelector('[data-fixture-post="ig-caption"]');
share.addEventListener('click', () => recordPost('ig-caption'));
share.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); share.click(); } });
