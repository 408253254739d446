import { useState } from 'react'
import { useSearchParams } from 'react-router'
import type { FileEntry } from '@canon/sdk/browser'
import { errorMessage, fileUrl, storedToken } from '../../api'
import { Empty } from '../../components/status'
import { formatBytes, shortDigest } from '../../format'

/**
 * Without a token the browser downloads the file itself, streaming it to disk. A link cannot carry a token, so when
 * signed in the bytes are fetched with it first and then handed to the browser.
 */
async function download(url: string, name: string): Promise<void> {
  const token = storedToken()
  const link = document.createElement('a')
  link.download = name
  if (!token) {
    link.href = url
    link.click()
    return
  }
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  if (!response.ok) throw new Error(`Download failed with HTTP ${response.status}`)
  const href = URL.createObjectURL(await response.blob())
  link.href = href
  link.click()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
}

/** A folder view over the manifest: the current folder lives in the URL (`dir=`), so a folder can be linked. */
export function FilesBrowser({ model, version, files }: { model: string; version: number; files: FileEntry[] }) {
  const [params, setParams] = useSearchParams()
  const dir = params.get('dir') ?? ''
  const [error, setError] = useState<string | null>(null)
  const open = (next: string) => {
    const copy = new URLSearchParams(params)
    if (next) copy.set('dir', next)
    else copy.delete('dir')
    setParams(copy)
  }
  if (files.length === 0) return <Empty>This version has no files.</Empty>
  const prefix = dir ? `${dir}/` : ''
  const inside = files.filter((f) => f.path.startsWith(prefix))
  const folders = new Map<string, { count: number; size: number }>()
  const here: FileEntry[] = []
  for (const file of inside) {
    const rest = file.path.slice(prefix.length)
    const slash = rest.indexOf('/')
    if (slash < 0) here.push(file)
    else {
      const name = rest.slice(0, slash)
      const folder = folders.get(name) ?? { count: 0, size: 0 }
      folders.set(name, { count: folder.count + 1, size: folder.size + file.size })
    }
  }
  const crumbs = dir ? dir.split('/') : []
  return (
    <div className="files">
      <nav aria-label="Folder" className="crumbs">
        <button type="button" className="link" onClick={() => open('')}>
          (root)
        </button>
        {crumbs.map((part, i) => (
          <span key={i}>
            {' / '}
            <button type="button" className="link" onClick={() => open(crumbs.slice(0, i + 1).join('/'))}>
              {part}
            </button>
          </span>
        ))}
      </nav>
      {error && (
        <p className="status error" role="alert">
          {error}
        </p>
      )}
      <table data-testid="files-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">SHA-256</th>
            <th scope="col">
              <span className="visually-hidden">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {[...folders.entries()].map(([name, info]) => (
            <tr key={`d-${name}`}>
              <td>
                <button type="button" className="link" onClick={() => open(prefix + name)}>
                  📁 {name}/
                </button>
              </td>
              <td className="num">{formatBytes(info.size)}</td>
              <td className="muted">
                {info.count} file{info.count === 1 ? '' : 's'}
              </td>
              <td />
            </tr>
          ))}
          {here.map((file) => {
            const name = file.path.slice(prefix.length)
            return (
              <tr key={file.path}>
                <td className="mono">{name}</td>
                <td className="num">{formatBytes(file.size)}</td>
                <td className="mono small" title={file.digest}>
                  {shortDigest(file.digest)}…
                </td>
                <td>
                  <button type="button" onClick={() => download(fileUrl(model, version, file.path), name.split('/').pop() ?? name).catch((e) => setError(errorMessage(e)))} aria-label={`Download ${file.path}`}>
                    Download
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
