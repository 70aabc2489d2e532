'use client';

import type { UploadLimits } from '@saas/shared/contracts';
import { useId, useState, type DragEvent } from 'react';
import { formatBytes, formatTypes } from './format.ts';

export interface UploadDropzoneProps {
  limits: UploadLimits | undefined;
  disabled: boolean;
  onFiles(files: File[]): void;
}

/**
 * Drag and drop, plus a real file input for keyboards and screen readers (the label is styled
 * as the button; the input keeps focus and gets the visible focus ring through its label).
 */
export function UploadDropzone({ limits, disabled, onFiles }: UploadDropzoneProps) {
  const id = useId();
  const [dragging, setDragging] = useState(false);

  const over = (e: DragEvent) => {
    e.preventDefault();
    if (!disabled) setDragging(true);
  };

  return (
    <div
      className={`dropzone${dragging ? ' dragging' : ''}`}
      onDragEnter={over}
      onDragOver={over}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (!disabled) onFiles([...e.dataTransfer.files]);
      }}
    >
      <p>
        <strong>Drag and drop files here</strong>, or
      </p>
      <input
        id={`${id}-input`}
        type="file"
        multiple
        disabled={disabled}
        accept={limits?.allowedTypes.join(',')}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const files = e.currentTarget.files ? [...e.currentTarget.files] : [];
          // Cleared so choosing the same file again still fires a change.
          e.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      <label htmlFor={`${id}-input`} className="button">
        Choose files
      </label>
      <p id={`${id}-hint`} className="hint">
        {limits
          ? `Accepted: ${formatTypes(limits.allowedTypes)}; up to ${formatBytes(limits.maxBytes)} per file.`
          : 'Reading the upload limits from the API…'}
      </p>
    </div>
  );
}
