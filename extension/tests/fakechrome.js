// In-memory stand-ins for chrome.storage areas (get/set/remove with the real call shapes).

export function memoryArea(initial = {}) {
  const data = { ...initial };
  return {
    data,
    async get(keys) {
      if (keys === null || keys === undefined) return { ...data };
      const list = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys);
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, data[k]]));
    },
    async set(values) { Object.assign(data, values); },
    async remove(keys) { for (const k of typeof keys === 'string' ? [keys] : keys) delete data[k]; },
  };
}
