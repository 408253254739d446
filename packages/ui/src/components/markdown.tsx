import DOMPurify from 'dompurify'
import { Marked } from 'marked'
import { useMemo } from 'react'

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

// Raw HTML in registry Markdown is shown as text, never parsed: nothing a card author writes becomes markup. DOMPurify
// still cleans what Markdown itself produces (e.g. javascript: links).
const markdown = new Marked({ gfm: true, async: false, renderer: { html: ({ text }) => escapeHtml(text) } })

/** Markdown from the registry (descriptions, model cards), rendered safely. */
export function Markdown({ text, className = 'markdown' }: { text: string; className?: string }) {
  const html = useMemo(() => DOMPurify.sanitize(markdown.parse(text) as string), [text])
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />
}
