import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router'
import { Layout } from './components/layout'
import { SessionProvider } from './session'
import { ModelsPage } from './pages/models'
import { NewModelPage } from './pages/new-model'
import { ModelPage } from './pages/model'
import { VersionPage } from './pages/version'
import { UploadPage } from './pages/upload'
import { ComparePage } from './pages/compare'
import { ApprovalsPage } from './pages/approvals'
import { AuditPage } from './pages/audit'
import { NotFound } from './pages/not-found'
import './styles.css'

// Every page has its own URL, with its filters in the query string, so any view can be shared as a link.
const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <Navigate to="/models" replace /> },
      { path: '/models', element: <ModelsPage /> },
      { path: '/models/new', element: <NewModelPage /> },
      { path: '/models/:model', element: <ModelPage /> },
      { path: '/models/:model/upload', element: <UploadPage /> },
      { path: '/models/:model/compare', element: <ComparePage /> },
      { path: '/models/:model/versions/:version', element: <VersionPage /> },
      { path: '/approvals', element: <ApprovalsPage /> },
      { path: '/audit', element: <AuditPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
])

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  </StrictMode>,
)
