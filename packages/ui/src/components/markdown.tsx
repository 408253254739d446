import DOMPurify from 'dompurify'
import { marked } from 'marked'
import { useMemo } from 'react'

/** Markdown from the registry (descriptions, model cards), sanitised before it reaches the page. */
export function Markdown({ text, className = 'markdown' }: { text: string; className?: string }) {
  const html = useMemo(() => DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true })), [text])
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />
}
