/*
 * charts.js - hand-drawn SVG charts: a reward histogram (ten buckets over [0,1]),
 * a throughput series (steps per second over the last 60 s) and horizontal bars
 * (per-task means).
 *
 * Design: each chart is a pure function from numbers to a fresh <svg> sized by
 * its viewBox, so it scales with its container and a refresh is a replace. Values
 * are also written as <title> tooltips and data-* attributes, so the numbers a
 * chart shows can be read (and tested) without reading pixels.
 */

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
	const el = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		if (v !== undefined && v !== null) el.setAttribute(k, String(v));
	for (const c of children.flat())
		if (c !== null && c !== undefined && c !== false)
			el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
	return el;
}

const title = (text) => s('title', null, text);

/* Reward histogram: hist = counts of 10 buckets over [0,1]. */
export function histogram(hist, { label = '', mean = null, n = null, testid } = {}) {
	const W = 220, H = 130, pad = { l: 26, r: 6, t: 28, b: 20 };
	const counts = Array.isArray(hist) ? hist : [];
	const max = Math.max(1, ...counts);
	const bw = (W - pad.l - pad.r) / Math.max(1, counts.length);
	const ih = H - pad.t - pad.b;
	const bars = counts.map((c, i) => {
		const bh = (c / max) * ih;
		const lo = (i / counts.length).toFixed(1), hi = ((i + 1) / counts.length).toFixed(1);
		return s('rect', {
			x: pad.l + i * bw + 1, y: pad.t + ih - bh, width: Math.max(1, bw - 2), height: bh,
			class: 'bar', 'data-count': c,
		}, title(`${lo}–${hi}: ${c}`));
	});
	const meanX = mean === null || mean === undefined ? null : pad.l + mean * (W - pad.l - pad.r);
	return s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart hist', role: 'img', 'data-testid': testid,
		'aria-label': `${label} reward histogram` },
	s('text', { x: pad.l, y: 12, class: 'ctitle' }, label.length > 36 ? label.slice(0, 35) + '…' : label),
	s('text', { x: pad.l, y: 23, class: 'cnote' },
		n === null ? '' : `n=${n}${mean === null || mean === undefined ? '' : ` mean=${Number(mean).toFixed(2)}`}`),
	s('line', { x1: pad.l, y1: pad.t + ih, x2: W - pad.r, y2: pad.t + ih, class: 'axis' }),
	s('text', { x: pad.l - 4, y: pad.t + 8, class: 'tick', 'text-anchor': 'end' }, max),
	s('text', { x: pad.l - 4, y: pad.t + ih, class: 'tick', 'text-anchor': 'end' }, 0),
	s('text', { x: pad.l, y: H - 6, class: 'tick' }, '0'),
	s('text', { x: (W + pad.l - pad.r) / 2, y: H - 6, class: 'tick', 'text-anchor': 'middle' }, 'reward'),
	s('text', { x: W - pad.r, y: H - 6, class: 'tick', 'text-anchor': 'end' }, '1'),
	bars,
	meanX === null ? null : s('line', { x1: meanX, y1: pad.t - 2, x2: meanX, y2: pad.t + ih, class: 'mean' },
		title(`mean ${Number(mean).toFixed(3)}`)));
}

/* Steps per second, one value per second, oldest first. */
export function series(values, { label = 'steps/s (last 60 s)', testid } = {}) {
	const W = 1200, H = 170, pad = { l: 36, r: 8, t: 18, b: 20 };
	const v = Array.isArray(values) ? values : [];
	const max = Math.max(1, ...v);
	const iw = W - pad.l - pad.r, ih = H - pad.t - pad.b;
	const x = (i) => pad.l + (v.length > 1 ? (i / (v.length - 1)) * iw : 0);
	const y = (c) => pad.t + ih - (c / max) * ih;
	const pts = v.map((c, i) => `${x(i).toFixed(1)},${y(c).toFixed(1)}`).join(' ');
	const area = v.length ? `${pad.l},${pad.t + ih} ${pts} ${x(v.length - 1).toFixed(1)},${pad.t + ih}` : '';
	return s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart series', role: 'img', 'data-testid': testid,
		'data-max': max, 'data-sum': v.reduce((a, b) => a + b, 0), 'aria-label': label },
	s('text', { x: pad.l, y: 12, class: 'ctitle' }, label),
	s('line', { x1: pad.l, y1: pad.t + ih, x2: W - pad.r, y2: pad.t + ih, class: 'axis' }),
	s('line', { x1: pad.l, y1: pad.t, x2: W - pad.r, y2: pad.t, class: 'grid' }),
	s('text', { x: pad.l - 4, y: pad.t + 4, class: 'tick', 'text-anchor': 'end' }, max),
	s('text', { x: pad.l - 4, y: pad.t + ih, class: 'tick', 'text-anchor': 'end' }, 0),
	s('text', { x: pad.l, y: H - 4, class: 'tick' }, `-${v.length}s`),
	s('text', { x: W - pad.r, y: H - 4, class: 'tick', 'text-anchor': 'end' }, 'now'),
	area ? s('polygon', { points: area, class: 'area' }) : null,
	pts ? s('polyline', { points: pts, class: 'line' }) : null,
	v.map((c, i) => s('rect', { x: x(i) - iw / v.length / 2, y: pad.t, width: iw / v.length, height: ih,
		class: 'hit' }, title(`${v.length - 1 - i} s ago: ${c} steps`))));
}

/* Horizontal bars: rows [{label, value in [0,1] or null, note}]. */
export function bars(rows, { testid, valueLabel = 'mean' } = {}) {
	const rowH = 22, W = 480, lw = 190, pad = 6;
	const H = Math.max(rowH, rows.length * rowH) + 2 * pad;
	const iw = W - lw - 44;
	return s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart bars', role: 'img', 'data-testid': testid,
		'aria-label': `${valueLabel} per task` },
	rows.map((r, i) => {
		const y = pad + i * rowH;
		const v = r.value === null || r.value === undefined ? null : Math.max(0, Math.min(1, r.value));
		return s('g', { 'data-label': r.label, 'data-value': r.value ?? '' },
			s('text', { x: lw - 6, y: y + 14, class: 'tick', 'text-anchor': 'end' },
				r.label.length > 30 ? r.label.slice(0, 29) + '…' : r.label),
			s('rect', { x: lw, y: y + 3, width: iw, height: rowH - 6, class: 'track' }),
			v === null ? null : s('rect', { x: lw, y: y + 3, width: Math.max(1, v * iw), height: rowH - 6, class: 'bar' },
				title(`${r.label}: ${valueLabel} ${Number(r.value).toFixed(3)}${r.note ? ' ' + r.note : ''}`)),
			s('text', { x: lw + iw + 6, y: y + 14, class: 'tick' }, v === null ? '–' : Number(r.value).toFixed(2)));
	}));
}
