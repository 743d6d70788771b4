/** The few HTML answers the console writes itself (the app is dist/apps/console/page/). */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${head}<title>${esc(title)}</title><link rel="stylesheet" href="/assets/styles.css"></head><body><main class="notice">${body}</main></body></html>`;
}

/** After a login: a same-site navigation to the app, so the fresh SameSite=Strict cookie is sent. */
export const loggedInPage = () => page('iapeer console', '<h1>Logged in</h1><p><a href="/">Open the console</a></p>', '<meta http-equiv="refresh" content="0;url=/">');

export const loginNeededPage = (reason: string) =>
  page('iapeer console: log in', `<h1>Log in to the iapeer console</h1><p>${esc(reason)}.</p><p>Run <code>iapeer console</code> in a terminal and open the link it prints (each link works once).</p>`);
