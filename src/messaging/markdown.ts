/**
 * Message Markdown → sanitised HTML on the server. markdown-it with raw HTML disabled (any `<tag>`
 * is escaped as text), links only to http, https and mailto (anything else — javascript:, data:,
 * vbscript:, file: — stays plain text), every link opens with rel="noopener noreferrer nofollow".
 * Images are not rendered (a remote image is a tracking beacon): they become links.
 */
import MarkdownIt from 'markdown-it';

const SAFE_LINK = /^(https?:|mailto:)/i;

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());
md.disable(['image']);

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const t = tokens[idx]!;
  t.attrSet('rel', 'noopener noreferrer nofollow');
  t.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(body: string): string {
  return md.render(body);
}

/** Plain text for emails and search snippets: the source without Markdown noise, clipped. */
export function plainSnippet(body: string, max = 280): string {
  const flat = body.replace(/[*_`>#~]+/g, '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
