import { useEffect, useRef, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { errorMessage } from '../api'
import { formatBytes, to } from '../format'
import { parseMetrics, parsePairs } from '../pairs'
import { useSession } from '../session'
import { useTitle } from '../use-title'
import { pickedFiles, putBlob, sha256Of, type PickedFile } from '../upload'

interface Progress {
  phase: 'hashing' | 'uploading' | 'registering'
  done: number
  total: number
}

/** Uploads files or a folder as a new version: hash each file, send only the blobs the server lacks, then the manifest. */
export function UploadPage() {
  const model = useParams().model ?? ''
  const { client, can } = useSession()
  const navigate = useNavigate()
  useTitle(`Upload to ${model}`)
  const folderInput = useRef<HTMLInputElement>(null)
  const [files, setFiles] = useState<PickedFile[]>([])
  const [description, setDescription] = useState('')
  const [metrics, setMetrics] = useState('')
  const [params, setParams] = useState('')
  const [tags, setTags] = useState('')
  const [progress, setProgress] = useState<Progress | null>(null)
  const [error, setError] = useState<string | null>(null)

  // React has no prop for it: a folder picker is an <input type=file> with the webkitdirectory attribute.
  useEffect(() => folderInput.current?.setAttribute('webkitdirectory', ''), [])

  const total = files.reduce((sum, f) => sum + f.file.size, 0)
  const upload = async () => {
    setError(null)
    try {
      const parsed = { metrics: parseMetrics(metrics), params: parsePairs(params), tags: parsePairs(tags) }
      const token = client.token
      const manifest: { path: string; size: number; digest: string }[] = []
      let hashed = 0
      setProgress({ phase: 'hashing', done: 0, total })
      for (const { file, path } of files) {
        const digest = await sha256Of(file, (n) => ((hashed += n), setProgress({ phase: 'hashing', done: hashed, total })))
        manifest.push({ path, size: file.size, digest })
      }
      let sent = 0
      setProgress({ phase: 'uploading', done: 0, total })
      for (const [i, { file }] of files.entries()) {
        // Always sent: a HEAD that answers 404 would log an error in the console, and the server stores identical bytes once.
        await putBlob(file, manifest[i]!.digest, token, (loaded) => setProgress({ phase: 'uploading', done: sent + loaded, total }))
        sent += file.size
        setProgress({ phase: 'uploading', done: sent, total })
      }
      setProgress({ phase: 'registering', done: total, total })
      const version = await client.versions.create(model, { files: manifest, ...(description && { description }), ...parsed })
      navigate(to.version(model, version.version))
    } catch (e) {
      setError(errorMessage(e))
      setProgress(null)
    }
  }

  if (!can('write', model)) return <p className="status error">You may not upload versions of {model}.</p>
  const busy = progress !== null
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : progress ? 100 : 0
  return (
    <section className="narrow">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/models">Models</Link> / <Link to={to.model(model)}>{model}</Link> / <span>upload</span>
      </nav>
      <h1>Upload a new version of {model}</h1>
      <form
        className="stacked"
        onSubmit={(event) => {
          event.preventDefault()
          void upload()
        }}
      >
        <label htmlFor="pick-files">Files</label>
        <input id="pick-files" type="file" multiple disabled={busy} onChange={(e) => setFiles(pickedFiles(e.target.files))} />
        <label htmlFor="pick-folder">…or a folder</label>
        <input id="pick-folder" ref={folderInput} type="file" disabled={busy} onChange={(e) => setFiles(pickedFiles(e.target.files))} />
        {files.length > 0 && (
          <p data-testid="picked">
            {files.length} file{files.length === 1 ? '' : 's'}, {formatBytes(total)}: {files.slice(0, 5).map((f) => f.path).join(', ')}
            {files.length > 5 && ', …'}
          </p>
        )}
        <label htmlFor="version-description">Description (Markdown)</label>
        <textarea id="version-description" value={description} onChange={(e) => setDescription(e.target.value)} rows={3} disabled={busy} />
        <label htmlFor="version-metrics">Metrics, one name=number a line</label>
        <textarea id="version-metrics" value={metrics} onChange={(e) => setMetrics(e.target.value)} rows={2} placeholder="val_auc=0.91" disabled={busy} />
        <label htmlFor="version-params">Params, one name=value a line</label>
        <textarea id="version-params" value={params} onChange={(e) => setParams(e.target.value)} rows={2} placeholder="max_depth=6" disabled={busy} />
        <label htmlFor="version-tags">Tags, one key=value a line</label>
        <textarea id="version-tags" value={tags} onChange={(e) => setTags(e.target.value)} rows={2} disabled={busy} />
        {progress && (
          <div className="progress">
            <label htmlFor="upload-progress">
              {progress.phase === 'hashing' ? 'Hashing' : progress.phase === 'uploading' ? 'Uploading' : 'Registering'} {formatBytes(progress.done)} of {formatBytes(progress.total)}
            </label>
            <progress id="upload-progress" max={100} value={percent}>
              {percent}%
            </progress>
          </div>
        )}
        {error && (
          <p className="status error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || files.length === 0}>
          {busy ? 'Uploading…' : 'Upload and register'}
        </button>
      </form>
    </section>
  )
}
