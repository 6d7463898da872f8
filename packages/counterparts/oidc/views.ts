/**
 * Self-contained HTML for the local OpenID Provider: no external fonts, scripts or images.
 * Every interpolated value goes through `escapeHtml`.
 */

export const PROVIDER_TITLE = "Local OpenID Provider (Auth0 stand-in)";
export const WRONG_CREDENTIALS = "Wrong email or password.";

/**
 * Headers for every HTML page we render. No `form-action` directive on purpose: browsers apply
 * it to the redirect chain after a form POST, which would block the final hop to the RP.
 */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  // Not no-referrer: with it, Chromium sends `Origin: null` on same-origin form posts, and the
  // login form's Origin check would refuse every real browser. same-origin leaks nothing cross-site.
  "Referrer-Policy": "same-origin",
  "Cache-Control": "no-store",
};

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLES = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1c1f24;--muted:#5d6570;--border:#d5d9df;--accent:#3b5bdb;--accent-text:#fff;--error-bg:#fdecec;--error-text:#a61b1b;--hint-bg:#f1f4ff;--hint-border:#c9d3fb}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--card:#1f2228;--text:#e8eaee;--muted:#9aa3ae;--border:#353a43;--accent:#6d8cff;--accent-text:#0d1020;--error-bg:#3a1d1f;--error-text:#ffb4b4;--hint-bg:#1c2236;--hint-border:#36406a}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:24px;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:100%;max-width:400px;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:28px;box-shadow:0 8px 24px rgba(0,0,0,.06)}
.brand{margin:0 0 4px;font-size:12px;font-weight:600;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
h1{margin:0 0 6px;font-size:22px;line-height:1.25}
p{margin:0 0 16px}
.muted{color:var(--muted)}
label{display:block;margin:14px 0 6px;font-weight:600;font-size:14px}
input{width:100%;padding:10px 12px;font:inherit;color:var(--text);background:var(--card);border:1px solid var(--border);border-radius:8px}
input:focus{outline:2px solid var(--accent);outline-offset:1px;border-color:var(--accent)}
button{width:100%;margin-top:18px;padding:11px 14px;font:inherit;font-weight:600;border:0;border-radius:8px;background:var(--accent);color:var(--accent-text);cursor:pointer}
button:focus-visible{outline:2px solid var(--text);outline-offset:2px}
button.secondary{margin-top:10px;background:transparent;color:var(--muted);border:1px solid var(--border)}
.error{margin:16px 0 0;padding:10px 12px;border-radius:8px;background:var(--error-bg);color:var(--error-text);font-weight:600}
.hint{margin-top:22px;padding:12px 14px;border:1px dashed var(--hint-border);border-radius:8px;background:var(--hint-bg);font-size:13px}
.hint strong{display:block;margin-bottom:6px}
.hint table{width:100%;border-collapse:collapse}
.hint td{padding:2px 0;vertical-align:top}
.hint td+td{padding-left:10px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.badge{display:inline-block;margin-left:4px;padding:0 6px;border-radius:999px;border:1px solid var(--border);font-size:11px;color:var(--muted)}
`;

function layout(pageTitle: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(pageTitle)} · ${escapeHtml(PROVIDER_TITLE)}</title>
<style>${STYLES}</style>
</head>
<body>
<main>
<p class="brand">${escapeHtml(PROVIDER_TITLE)}</p>
${body}
</main>
</body>
</html>
`;
}

export interface DemoUserHint {
  email: string;
  password: string;
  emailVerified: boolean;
}

export interface LoginPageInput {
  uid: string;
  clientLabel: string;
  email?: string;
  error?: string;
  demoUsers: readonly DemoUserHint[];
}

export function loginPage(input: LoginPageInput): string {
  const uid = encodeURIComponent(input.uid);
  const rows = input.demoUsers
    .map(
      (u) =>
        `<tr><td><code>${escapeHtml(u.email)}</code>${u.emailVerified ? "" : '<span class="badge">unverified</span>'}</td><td><code>${escapeHtml(u.password)}</code></td></tr>`,
    )
    .join("");
  const error = input.error ? `<p class="error" role="alert" id="login-error">${escapeHtml(input.error)}</p>` : "";
  const describedBy = input.error ? ' aria-describedby="login-error" aria-invalid="true"' : "";
  return layout(
    "Sign in",
    `<h1>Sign in</h1>
<p class="muted">to continue to <strong>${escapeHtml(input.clientLabel)}</strong></p>
${error}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="on" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" inputmode="email" autocomplete="username" required autofocus value="${escapeHtml(input.email ?? "")}"${describedBy}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}>
<button type="submit">Continue</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort">
<button type="submit" class="secondary">Cancel and return to the app</button>
</form>
<div class="hint" role="note">
<strong>Demo users (local development only)</strong>
<table><tbody>${rows}</tbody></table>
</div>`,
  );
}

export function errorPage(code: string, description?: string): string {
  return layout(
    "Error",
    `<h1>Something went wrong</h1>
<p>Error code: <code>${escapeHtml(code)}</code></p>
${description ? `<p class="muted">${escapeHtml(description)}</p>` : ""}
<p class="muted">Go back to the application and start signing in again.</p>`,
  );
}

/** `form` is the hidden-input form produced by oidc-provider (id="op.logoutForm", carries the xsrf token). */
export function logoutPage(form: string, clientLabel?: string): string {
  return layout(
    "Sign out",
    `<h1>Sign out?</h1>
<p class="muted">${clientLabel ? `<strong>${escapeHtml(clientLabel)}</strong> asked to end your session with the identity provider.` : "End your session with the identity provider."}</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
  );
}

export function loggedOutPage(clientLabel?: string): string {
  return layout(
    "Signed out",
    `<h1>You are signed out</h1>
<p class="muted">${clientLabel ? `Your session with <strong>${escapeHtml(clientLabel)}</strong> has ended.` : "Your session has ended."} You can close this window.</p>`,
  );
}
