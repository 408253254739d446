import { backends, openTestStore } from '../support/backends'
import { metadataStoreContract } from './metadata-store.contract'

for (const backend of backends) metadataStoreContract(backend, () => openTestStore(backend))
