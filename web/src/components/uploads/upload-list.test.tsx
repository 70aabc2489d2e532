import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { upload, type Upload } from '@saas/shared/contracts';
import { UploadList } from './upload-list.tsx';
import type { Transfer } from './transfer.ts';

const at = '2026-11-23T12:00:00.000Z';
const make = (over: Partial<Upload>): Upload =>
  // Parsed by the contract: the fixtures are exactly what the API may send.
  upload.parse({
    id: '00000000-0000-4000-8000-000000000001',
    filename: 'cat.png',
    contentType: 'image/png',
    size: 2048,
    status: 'pending',
    statusReason: null,
    sha256: null,
    detectedType: null,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    processedAt: null,
    expiresAt: '2026-11-24T12:00:00.000Z',
    ...over,
  });

const noop = () => {};
const props = (over: Partial<Parameters<typeof UploadList>[0]> = {}) => ({
  uploads: [],
  transfers: [],
  onDownload: noop,
  onDelete: noop,
  onDismissTransfer: noop,
  ...over,
});

afterEach(cleanup);

describe('UploadList', () => {
  it('shows every upload with its status as a word, and download only when ready', () => {
    const uploads = [
      make({ id: '00000000-0000-4000-8000-000000000001', filename: 'a.png', status: 'pending' }),
      make({ id: '00000000-0000-4000-8000-000000000002', filename: 'b.png', status: 'uploaded' }),
      make({
        id: '00000000-0000-4000-8000-000000000003',
        filename: 'c.png',
        status: 'ready',
        detectedType: 'image/png',
      }),
    ];
    render(<UploadList {...props({ uploads })} />);
    const items = within(screen.getByRole('list', { name: 'Uploads' })).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items.map((li) => li.querySelector('[data-status]')?.textContent)).toEqual([
      'pending',
      'uploaded',
      'ready',
    ]);
    expect(screen.queryByRole('button', { name: 'Download a.png' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Download b.png' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Download c.png' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /^Delete / })).toHaveLength(3);
    expect(items[1]!.textContent).toContain('checking the file');
  });

  it('says why an upload was rejected or failed', () => {
    const uploads = [
      make({
        id: '00000000-0000-4000-8000-000000000004',
        filename: 'fake.png',
        status: 'rejected',
        statusReason: 'content is not image/png',
      }),
      make({
        id: '00000000-0000-4000-8000-000000000005',
        filename: 'gone.png',
        status: 'failed',
        statusReason: null,
      }),
    ];
    render(<UploadList {...props({ uploads })} />);
    expect(screen.getByText('Rejected: content is not image/png')).toBeTruthy();
    expect(screen.getByText('Failed: no reason was recorded.')).toBeTruthy();
  });

  it('calls back with the upload when Download or Delete is pressed, and disables busy rows', () => {
    const onDownload = jest.fn<(u: Upload) => void>();
    const onDelete = jest.fn<(u: Upload) => void>();
    const ready = make({ status: 'ready' });
    const { rerender } = render(
      <UploadList {...props({ uploads: [ready], onDownload, onDelete })} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Download cat.png' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete cat.png' }));
    expect(onDownload).toHaveBeenCalledWith(ready);
    expect(onDelete).toHaveBeenCalledWith(ready);

    rerender(
      <UploadList
        {...props({ uploads: [ready], onDownload, onDelete, busyIds: new Set([ready.id]) })}
      />,
    );
    expect(
      (screen.getByRole('button', { name: 'Download cat.png' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });

  it('updates a row in place when its status changes', () => {
    const { rerender } = render(
      <UploadList {...props({ uploads: [make({ status: 'uploaded' })] })} />,
    );
    expect(screen.queryByRole('button', { name: 'Download cat.png' })).toBeNull();
    rerender(<UploadList {...props({ uploads: [make({ status: 'ready' })] })} />);
    expect(screen.getByText('ready')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download cat.png' })).toBeTruthy();
  });

  it('shows a labelled progress bar per file in flight and an alert for a refused one', () => {
    const onDismissTransfer = jest.fn<(key: string) => void>();
    const transfers: Transfer[] = [
      { key: 't1', filename: 'big.png', size: 5 * 1024 * 1024, phase: 'uploading', progress: 0.42 },
      {
        key: 't2',
        filename: 'doc.exe',
        size: 10,
        phase: 'error',
        progress: 0,
        error: 'Not uploaded. It is a application/x-msdownload file.',
      },
    ];
    render(<UploadList {...props({ transfers, onDismissTransfer })} />);
    const bar = screen.getByRole('progressbar', {
      name: 'Upload progress of big.png',
    }) as HTMLProgressElement;
    expect(bar.value).toBe(42);
    expect(bar.max).toBe(100);
    expect(screen.getByText(/5 MB · Uploading 42%/)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'Not uploaded. It is a application/x-msdownload file.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss doc.exe' }));
    expect(onDismissTransfer).toHaveBeenCalledWith('t2');
  });
});
