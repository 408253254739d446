import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { errorMessage } from '../api'

interface ConfirmProps {
  /** the button that opens the dialog */
  label: string
  title: string
  /** what will happen, in words */
  children?: ReactNode
  confirmLabel?: string
  reasonLabel?: string
  reasonRequired?: boolean
  danger?: boolean
  /** disables confirming while the dialog's own fields are incomplete */
  ready?: boolean
  onConfirm(reason: string): Promise<unknown>
  onDone?(): void
  buttonClass?: string
  /** the action takes no reason (e.g. deleting an alias) */
  noReason?: boolean
  /** the opening button is disabled (e.g. nothing selected) */
  disabled?: boolean
}

/** A button, then a modal dialog asking for a reason and a confirmation; errors show in the dialog. */
export function ConfirmAction(props: ConfirmProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const reasonId = useId()
  const titleId = useId()

  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (open && !element.open) element.showModal()
    if (!open && element.open) element.close()
  }, [open])

  const submit = async () => {
    setBusy(true)
    setError(null)
    try {
      await props.onConfirm(reason.trim())
      setOpen(false)
      setReason('')
      props.onDone?.()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  const missingReason = props.reasonRequired && !reason.trim()

  return (
    <>
      <button type="button" className={props.buttonClass ?? (props.danger ? 'danger' : undefined)} disabled={props.disabled} onClick={() => (setError(null), setOpen(true))}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} onClose={() => setOpen(false)}>
        {open && (
          <form
            method="dialog"
            onSubmit={(event) => {
              event.preventDefault()
              void submit()
            }}
          >
            <h2 id={titleId}>{props.title}</h2>
            {props.children}
            {!props.noReason && (
              <>
                <label htmlFor={reasonId}>
                  {props.reasonLabel ?? 'Reason'}
                  {props.reasonRequired ? ' (required)' : ' (optional)'}
                </label>
                <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} />
              </>
            )}
            {error && (
              <p className="status error" role="alert">
                {error}
              </p>
            )}
            <div className="actions">
              <button type="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" className={props.danger ? 'danger' : 'primary'} disabled={busy || missingReason || props.ready === false}>
                {busy ? 'Working…' : (props.confirmLabel ?? 'Confirm')}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </>
  )
}
