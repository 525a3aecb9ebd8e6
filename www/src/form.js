// One form per endpoint, generated from its catalogue entry: path ids first, then one control
// per parameter chosen by the schema's `x-kind`. The form only gathers values; the client's
// own checker (through the preview) decides what is valid and names the field at fault.
import { h, docText } from './dom.js';

let uid = 0;
const nextId = (name) => `f${++uid}-${name.replace(/[^a-zA-Z0-9_-]/g, '')}`;

const PLACEHOLDERS = {
  objectId: '24 hex digits',
  uuid: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
  email: 'name@example.com',
  currency: 'USD',
  timezone: 'Europe/Paris',
  hostname: 'example.com',
  stripeRestrictedKey: 'rk_live_…',
  paddleApiKey: 'pdl_live_…',
};

const EXAMPLES = {
  metadata: '{ "plan": "pro" }',
  funnelSteps: '[\n  { "name": "Landing", "type": "pageview", "url": "/" },\n  { "name": "Signup", "type": "goal", "goalName": "signup" }\n]',
  custom: '{ "plan": "pro", "company": "Acme" }',
};

/** The schema without its `null` alternative, and whether `null` is allowed. */
function unwrapNullable(schema) {
  if (schema['x-nullable'] === undefined && Array.isArray(schema.anyOf) && schema.anyOf.some((s) => s.type === 'null')) {
    const inner = schema.anyOf.find((s) => s.type !== 'null');
    return { schema: { ...inner, description: schema.description ?? inner.description }, nullable: true };
  }
  return { schema, nullable: false };
}

/** A short statement of the field's limits, from the schema. */
function constraints(schema) {
  const kind = schema['x-kind'];
  const parts = [];
  if (kind === 'date' && !schema.description) parts.push('YYYY-MM-DD or an ISO time with Z/offset');
  if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`${schema.minimum}–${schema.maximum}`);
  else if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (kind === 'text' && schema.maxLength !== undefined && schema.maxLength < 2048) {
    parts.push(schema.minLength > 1 ? `${schema.minLength}–${schema.maxLength} characters` : `≤ ${schema.maxLength} characters`);
  }
  if (kind === 'goalName') parts.push(`goal name, ≤ ${schema.maxLength}`);
  if (['values', 'strings', 'objectIds'].includes(kind)) parts.push('comma-separated');
  if (kind === 'funnelSteps') parts.push(`JSON array, ${schema.minItems}–${schema.maxItems} steps`);
  if (kind === 'metadata') parts.push('JSON object');
  return parts.join('; ');
}

/** Splits `a, b` into values; one value stays a string unless `alwaysArray`. */
function listValue(text, alwaysArray) {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return undefined;
  return items.length === 1 && !alwaysArray ? items[0] : items;
}

function jsonValue(text) {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LocalError(`is not valid JSON: ${e.message}`);
  }
}

class LocalError extends Error {}

/** Checkboxes for a closed list (fields, permissions). */
function checkboxGroup(id, values, labels) {
  const boxes = values.map((v, i) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: v }), ' ', labels?.[i] ?? v));
  const el = h('div', { class: 'checks', id, role: 'group' }, boxes);
  return {
    el,
    focusable: () => el.querySelector('input'),
    read: () => {
      const on = [...el.querySelectorAll('input:checked')].map((b) => b.value);
      return on.length ? on : undefined;
    },
    clear: () => el.querySelectorAll('input').forEach((b) => (b.checked = false)),
  };
}

/** Rows of `dimension · operator · values` for analytics filters. */
function filterEditor(id, schema, label) {
  const dimensions = schema.propertyNames.enum;
  const operators = schema.additionalProperties.anyOf.find((s) => s.type === 'object').propertyNames.enum;
  const rows = h('div', { class: 'filter-rows' });
  let n = 0;
  const addRow = () => {
    const k = ++n;
    const dim = h('select', { 'aria-label': `${label} ${k}: dimension` }, dimensions.map((d) => h('option', { value: d }, d)));
    const op = h('select', { 'aria-label': `${label} ${k}: operator` }, operators.map((o) => h('option', { value: o }, o.replaceAll('_', ' '))));
    const val = h('input', { type: 'text', 'aria-label': `${label} ${k}: values (comma-separated)`, placeholder: 'value, value…' });
    const row = h('div', { class: 'filter-row' }, dim, op, val,
      h('button', { type: 'button', class: 'small', 'aria-label': `Remove ${label.toLowerCase()} ${k}`, onclick: () => { row.remove(); rows.dispatchEvent(new Event('input', { bubbles: true })); } }, '✕'));
    rows.append(row);
    dim.focus();
  };
  const el = h('div', { id, class: 'filters', role: 'group' }, rows,
    h('button', { type: 'button', class: 'small', onclick: addRow }, '+ Add filter'));
  return {
    el,
    focusable: () => el.querySelector('select, button'),
    read: () => {
      const out = {};
      for (const row of rows.children) {
        const [dim, op, val] = row.querySelectorAll('select, input');
        const values = listValue(val.value, false);
        if (values === undefined) continue;
        out[dim.value] = op.value === 'is' ? values : { [op.value]: values };
      }
      return Object.keys(out).length ? out : undefined;
    },
    clear: () => rows.replaceChildren(),
  };
}

/** A single input/select/textarea whose text converts to the parameter's value. */
function simpleControl(id, schema) {
  const kind = schema['x-kind'];
  const enumValues = schema.enum;
  if (enumValues) {
    const labels = schema['x-labels'];
    const el = h('select', { id }, h('option', { value: '' }, '— not set —'),
      enumValues.map((v, i) => h('option', { value: v }, labels ? `${labels[i]} (${v})` : v)));
    return { el, read: () => el.value || undefined };
  }
  if (kind === 'boolean') {
    const el = h('select', { id }, h('option', { value: '' }, '— not set —'), h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'));
    return { el, read: () => (el.value === '' ? undefined : el.value === 'true') };
  }
  if (kind === 'integer' || kind === 'amount') {
    const el = h('input', { id, type: 'number', inputmode: kind === 'amount' ? 'decimal' : 'numeric', step: kind === 'amount' ? 'any' : '1', min: schema.minimum, max: schema.maximum });
    // Text that is not a number goes as text, so the checker names the rule.
    return { el, read: () => (el.value === '' ? (el.validity.badInput ? 'not a number' : undefined) : Number(el.value)) };
  }
  if (kind === 'date') {
    const el = h('input', { id, type: 'date' });
    return { el, read: () => el.value || undefined };
  }
  if (['metadata', 'funnelSteps', 'custom'].includes(kind)) {
    const el = h('textarea', { id, rows: kind === 'funnelSteps' ? 6 : 3, spellcheck: 'false', placeholder: EXAMPLES[kind] });
    return { el, read: () => jsonValue(el.value) };
  }
  if (['values', 'strings', 'objectIds'].includes(kind)) {
    const el = h('input', { id, type: 'text', spellcheck: 'false', placeholder: kind === 'objectIds' ? 'id, id…' : 'value, value…' });
    return { el, read: () => listValue(el.value, kind !== 'values') };
  }
  const long = kind === 'text' && (schema.maxLength ?? 0) > 300;
  const el = long
    ? h('textarea', { id, rows: 3 })
    : h('input', { id, type: kind === 'email' ? 'email' : 'text', spellcheck: 'false', placeholder: PLACEHOLDERS[kind] });
  return { el, read: () => (el.value === '' ? undefined : el.value) };
}

/** The widget for one property (without its label). */
function widget(id, schema, label) {
  const kind = schema['x-kind'];
  if (kind === 'fields') return checkboxGroup(id, schema['x-values']);
  if (kind === 'permissions') return checkboxGroup(id, schema.items.enum);
  if (kind === 'filters') return filterEditor(id, schema, label);
  const c = simpleControl(id, schema);
  return { ...c, focusable: () => c.el, clear: () => { c.el.value = ''; } };
}

/**
 * Builds the form for `endpoint` into `container`. Returns `{ collect, showErrors, clear }`:
 * `collect()` → `{ args, local }` (`local`: an error the page found itself, such as bad JSON);
 * `showError(field, message)` places an error under the control it names.
 */
export function buildForm(endpoint, container, { pathDefaults = {} } = {}) {
  const controls = new Map(); // dotted name → { widget, wrapper, error, label }
  container.replaceChildren();

  const addField = (parent, name, schema, required, { path = false, nested = '' } = {}) => {
    const { schema: s, nullable } = unwrapNullable(schema);
    const full = nested ? `${nested}.${name}` : name;
    const id = nextId(full);
    const errorId = `${id}-error`;
    const hintId = `${id}-hint`;
    const kind = s['x-kind'];

    if (kind === 'object') {
      const fs = h('fieldset', { class: 'nested' }, h('legend', {}, name, required ? h('span', { class: 'req', 'aria-label': 'required' }, ' *') : null));
      if (s.description) fs.append(h('p', { class: 'hint' }, docText(s.description)));
      const order = s['x-propertyOrder'] ?? Object.keys(s.properties);
      for (const child of order) addField(fs, child, s.properties[child], (s.required ?? []).includes(child), { nested: full });
      const error = h('p', { class: 'error', id: errorId });
      fs.append(error);
      parent.append(fs);
      controls.set(full, { object: true, children: order.map((c) => `${full}.${c}`), error, focus: () => fs.querySelector('input, select, textarea')?.focus() });
      return;
    }

    const w = widget(id, s, name);
    const label = h(['fields', 'permissions', 'filters'].includes(kind) ? 'span' : 'label', { class: 'label', for: id, id: `${id}-label` },
      h('code', {}, name), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
      path ? h('span', { class: 'tag' }, 'path') : null);
    if (label.tagName === 'SPAN') w.el.setAttribute('aria-labelledby', `${id}-label`);
    const describedBy = [hintId, errorId];
    // The table's docs already state the limits where they have any.
  const hintText = [s.description || constraints(s)].filter(Boolean);
    const hint = h('p', { class: 'hint', id: hintId }, hintText.length ? docText(hintText.join(' — ')) : null);
    const error = h('p', { class: 'error', id: errorId });
    const target = w.focusable();
    target.setAttribute('aria-describedby', describedBy.join(' '));
    if (required) target.setAttribute('aria-required', 'true');

    let nullBox = null;
    if (nullable) {
      nullBox = h('input', { type: 'checkbox', id: `${id}-null` });
      nullBox.addEventListener('change', () => { target.disabled = nullBox.checked; });
    }
    const wrapper = h('div', { class: `field kind-${kind}` }, label, w.el,
      nullBox ? h('label', { class: 'check null', for: `${id}-null` }, nullBox, ' send ', h('code', {}, 'null'), ' (clears it)') : null,
      hint, error);
    parent.append(wrapper);
    controls.set(full, {
      read: () => (nullBox?.checked ? null : w.read()),
      clear: () => { w.clear(); if (nullBox) { nullBox.checked = false; target.disabled = false; } },
      error,
      focus: () => w.focusable().focus(),
      setInvalid: (on) => w.focusable().toggleAttribute('aria-invalid', on),
      path,
      target,
    });
    if (path && pathDefaults[name]) target.value = pathDefaults[name];
  };

  if (endpoint.pathParams.length) {
    const fs = h('fieldset', { class: 'group' }, h('legend', {}, 'Path'));
    for (const p of endpoint.pathParams) addField(fs, p.name, p.schema, true, { path: true });
    container.append(fs);
  }
  const params = endpoint.params;
  const order = params['x-propertyOrder'] ?? [];
  const extra = typeof params.additionalProperties === 'object';
  if (order.length || extra) {
    const fs = h('fieldset', { class: 'group' }, h('legend', {}, endpoint.input === 'body' ? 'Body (JSON)' : 'Query parameters'));
    for (const name of order) addField(fs, name, params.properties[name], (params.required ?? []).includes(name));
    if (extra) addField(fs, 'custom fields', { 'x-kind': 'custom', description: 'Any other keys: profile fields (JSON object).' }, false);
    container.append(fs);
  } else {
    container.append(h('p', { class: 'hint' }, endpoint.pathParams.length ? 'No parameters besides the path.' : 'This endpoint takes no parameters.'));
  }

  const valueOf = (name) => {
    const c = controls.get(name);
    if (c.object) {
      const out = {};
      for (const child of c.children) {
        const v = valueOf(child);
        if (v !== undefined) out[child.slice(name.length + 1)] = v;
      }
      return Object.keys(out).length ? out : undefined;
    }
    return c.read();
  };

  return {
    /** `{ args }`, or `{ local: { field, message } }` for input the page cannot even convert. */
    collect() {
      const ids = endpoint.pathParams.map((p) => controls.get(p.name).read() ?? '');
      if (endpoint.input === 'none') return { args: ids };
      const body = {};
      for (const name of order) {
        try {
          const v = valueOf(name);
          if (v !== undefined) body[name] = v;
        } catch (e) {
          if (e instanceof LocalError) return { local: { field: name, message: `\`${name}\` ${e.message}` } };
          throw e;
        }
      }
      if (extra) {
        try {
          Object.assign(body, controls.get('custom fields').read() ?? {});
        } catch (e) {
          if (e instanceof LocalError) return { local: { field: 'custom fields', message: `custom fields ${e.message}` } };
          throw e;
        }
      }
      return { args: [...ids, body] };
    },
    /** Puts `message` under the control `field` names (`filters.country` → filters); false if none does. */
    showError(field, message) {
      let name = field;
      while (name && !controls.has(name)) name = name.includes('.') || name.includes('[') ? name.replace(/(\.[^.[]*|\[\d+\])$/, '') : '';
      const c = name && controls.get(name);
      if (!c) return false;
      c.error.textContent = message;
      c.setInvalid?.(true);
      return c;
    },
    clearErrors() {
      for (const c of controls.values()) {
        c.error.textContent = '';
        c.setInvalid?.(false);
      }
    },
    clear() {
      for (const c of controls.values()) if (!c.object && !c.path) c.clear();
    },
    /** Fills the path id `name` with `value` unless the user typed one. */
    defaultPath(name, value) {
      const c = controls.get(name);
      if (c?.path && !c.target.value) c.target.value = value;
    },
  };
}
