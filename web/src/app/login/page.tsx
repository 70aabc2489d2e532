import type { Metadata } from 'next';
import { LoginPanel } from '../../components/login/login-panel.tsx';

export const metadata: Metadata = { title: 'Sign in' };

export default function LoginPage() {
  return (
    <>
      <h1>Sign in</h1>
      <p className="lead">Sign in to upload files and follow their checks.</p>
      <LoginPanel />
    </>
  );
}
