// @ts-check
// Waiting for the page: editors sync their selection and state between a painted frame and the next task.

/** One painted frame, then a macrotask. */
export const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
