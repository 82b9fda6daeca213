/*
 * fake-llm.mjs - a tiny OpenAI-compatible chat-completions endpoint for the
 * browser tests (node standard library only).
 *
 * startFakeLlm(answer) listens on 127.0.0.1, port 0, and answers
 * POST <any>/chat/completions with a chat.completion whose
 * choices[0].message.content is answer(requestBody) (a string). Every request is
 * recorded in .requests as {path, headers, body} so a test can check what the
 * server sent (for example that the user's key arrived as a Bearer token).
 */
import http from 'node:http';

export function startFakeLlm(answer) {
	const requests = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			let body = null;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch (e) {
				body = null;
			}
			requests.push({ path: req.url, headers: req.headers, body });
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
				return;
			}
			const content = answer(body);
			const out = {
				id: 'chatcmpl-test', object: 'chat.completion', created: Math.floor(Date.now() / 1000),
				model: body && body.model ? body.model : 'test',
				choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
				usage: { prompt_tokens: 123, completion_tokens: 45, total_tokens: 168 },
			};
			const text = JSON.stringify(out);
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
			res.end(text);
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				port, requests,
				baseUrl: `http://127.0.0.1:${port}/v1`,
				close: () => new Promise((ok) => server.close(() => ok())),
			});
		});
	});
}
