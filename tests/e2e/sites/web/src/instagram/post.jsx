// www.instagram.com/p/<id>/: the post's caption (h1) and the React-controlled comment <textarea>.
// The value lives in React state; Enter sends the comment (Shift+Enter is a new line), like Instagram.
import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { expectEditors, registerEditor, recordPost } from '../lib/fixture.js';

function CommentForm() {
  const [value, setValue] = useState('');
  const valueRef = useRef(value);
  valueRef.current = value;
  const ref = useRef(null);

  useEffect(() => {
    registerEditor('ig-comment', {
      el: ref.current,
      getText: () => valueRef.current, // React state, not the DOM
      clear: () => { valueRef.current = ''; setValue(''); },
    });
  }, []);

  useLayoutEffect(() => { // grows with its text, like Instagram's
    const ta = ref.current;
    ta.style.height = '18px';
    ta.style.height = `${Math.min(ta.scrollHeight, 80)}px`;
  }, [value]);

  const send = () => recordPost('ig-comment');
  const empty = value.trim() === '';
  return (
    <form className="ig-comment-form" onSubmit={(e) => { e.preventDefault(); send(); }}>
      <span className="ig-emoji-btn" aria-hidden="true">😊</span>
      <textarea
        ref={ref}
        aria-label="Add a comment…"
        placeholder="Add a comment…"
        autoComplete="off"
        autoCorrect="off"
        rows={1}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div
        role="button"
        tabIndex={0}
        className="ig-post-btn"
        aria-disabled={empty ? 'true' : 'false'}
        data-fixture-post="ig-comment"
        onClick={() => { if (!empty) send(); }}
      >
        Post
      </div>
    </form>
  );
}

expectEditors(['ig-comment']);
createRoot(document.getElementById('ig-comment-root')).render(<CommentForm />);
