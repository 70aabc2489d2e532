import type { Metadata } from 'next';
import { RequireSession } from '../components/require-session.tsx';
import { UploadDashboard } from '../components/uploads/upload-dashboard.tsx';

export const metadata: Metadata = { title: 'Uploads' };

export default function UploadsPage() {
  return (
    <RequireSession>
      <UploadDashboard />
    </RequireSession>
  );
}
