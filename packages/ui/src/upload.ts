import { createSHA256 } from 'hash-wasm'

export interface PickedFile {
  /** path inside the version, '/'-separated */
  path: string
  file: File
}

/** sha256 of a file, streamed in chunks so a multi-GB file never sits in memory. */
export async function sha256Of(file: File, onBytes: (n: number) => void): Promise<string> {
  const hasher = await createSHA256()
  hasher.init()
  const reader = file.stream().getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    hasher.update(value)
    onBytes(value.byteLength)
  }
  return `sha256:${hasher.digest('hex')}`
}

function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** PUT with XMLHttpRequest, the one browser API that reports upload progress. */
export function putBlob(file: File, digest: string, token: string | undefined, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', `/api/v1/blobs/${digest}`)
    for (const [k, v] of Object.entries(authHeaders(token))) xhr.setRequestHeader(k, v)
    xhr.setRequestHeader('content-type', 'application/octet-stream')
    xhr.upload.onprogress = (event) => onProgress(event.loaded)
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve()
      let message = `Upload of ${file.name} failed with HTTP ${xhr.status}`
      try {
        const body = JSON.parse(xhr.responseText) as { error?: { message?: string; code?: string } }
        if (body.error?.message) message = `${body.error.message} (${body.error.code})`
      } catch {
        // not JSON: keep the status line
      }
      reject(new Error(message))
    }
    xhr.onerror = () => reject(new Error(`Upload of ${file.name} failed: the connection broke.`))
    xhr.send(file)
  })
}

/** Files from an <input>: a folder pick keeps paths below the chosen folder, a files pick uses the names. */
export function pickedFiles(list: FileList | null): PickedFile[] {
  return [...(list ?? [])].map((file) => {
    const relative = file.webkitRelativePath
    return { file, path: relative ? relative.split('/').slice(1).join('/') : file.name }
  })
}
