/** The stage and approval-status filters the models page and the versions table share; '' means any. */
export function StageSelect({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <label>
      Stage
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">any</option>
        {['Production', 'Staging', 'Archived', 'None'].map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
    </label>
  )
}

export function ApprovalSelect({ value, onChange, describe = (s) => s }: { value: string; onChange: (value: string) => void; describe?: (status: string) => string }) {
  return (
    <label>
      Approval
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">any</option>
        {['pending', 'approved', 'rejected'].map((s) => (
          <option key={s} value={s}>
            {describe(s)}
          </option>
        ))}
      </select>
    </label>
  )
}
