export * from './error-codes'
export * from './limits'
export * from './schemas'
export * from './governance'
