// A tiny element builder: h('p', { class: 'x', onclick }, 'text', child…).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** `` `inline code` `` in the contract's docs → <code> elements. */
export function docText(text) {
  return text.split(/(`[^`]*`)/).filter(Boolean).map((part) =>
    part.startsWith('`') && part.endsWith('`') ? h('code', {}, part.slice(1, -1)) : part);
}
