import React from 'react';
import { createRoot } from 'react-dom/client';
import { DraftComposer } from './DraftComposer.jsx';
import { expectEditors } from '../lib/fixture.js';

expectEditors(['x-reply']);
createRoot(document.getElementById('reply')).render(
  <DraftComposer name="x-reply" placeholder="Post your reply" buttonLabel="Reply" />,
);
