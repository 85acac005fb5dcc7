import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createFileUploadHandler,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type NodeOnDiskFile,
} from "@remix-run/node";
import { MAX_UPLOAD_BYTES, uploadTooLargeWords } from "~/domain/imports";
import { DomainError } from "~/domain/shared";
import { env } from "./env.server";

/** The largest body a page, form or storefront request may carry: Tally's forms and the widget's JSON are a few KB. */
const MAX_FORM_BODY_BYTES = 1024 * 1024;
/** The paths that take an uploaded file: the Import page's forms (Remix posts a page's form to its `.data` URL). */
const UPLOAD_PATHS = new Set(["/app/import", "/app/import.data"]);

/**
 * The most bytes server.js lets a request's body carry to Remix (decision 006): the upload limit and 1 MiB for the
 * form's other fields for a multipart POST to the Import page, 1 MiB for any other body. `path` is the URL's path
 * without its query; `contentType` the request's Content-Type header, if any. Webhooks have their own cap.
 */
export function maxRequestBodyBytes({ path, contentType }: { path: string; contentType: string | undefined }): number {
  const multipart = contentType?.toLowerCase().startsWith("multipart/form-data") ?? false;
  return multipart && UPLOAD_PATHS.has(path) ? MAX_UPLOAD_BYTES + MAX_FORM_BODY_BYTES : MAX_FORM_BODY_BYTES;
}

/** Where uploads are kept: `uploads/` beside the database, so a deploy keeps them with it. */
export function uploadsDir(): string {
  const dir = resolve(join(dirname(env().DATABASE_PATH), "uploads"));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface UploadedFile {
  path: string;
  /** The merchant's name for it, to be shown back. */
  name: string;
  bytes: number;
}

/**
 * Reads a multipart form whose `file` field is streamed to disk as it arrives (Remix's file upload handler), never
 * held in memory; other fields are read as text. Answers the fields and the file's path and name (null when none was
 * sent). Throws DomainError("unsupported_media_type") for a body that is not multipart, "bad_request" for one that
 * cannot be read, "invalid_input" with `fieldErrors.file` for a file over the size limit.
 */
export async function receiveUpload(request: Request): Promise<{
  fields: Record<string, string>;
  file: UploadedFile | null;
}> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw new DomainError("unsupported_media_type", "Send the file as multipart/form-data");
  }
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(
        unstable_createFileUploadHandler({
          directory: uploadsDir(),
          maxPartSize: MAX_UPLOAD_BYTES,
          avoidFileConflicts: false,
          // The file on disk is named by a random id; the merchant's name follows it, to be shown back.
          file: ({ filename }) => `${randomUUID()}--${filename.replace(/[^\w .()-]+/g, "_").slice(-100)}`,
          filter: ({ name }) => name === "file",
        }),
        // The form's other fields, as text; any other file is dropped.
        unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024, filter: ({ filename }) => !filename }),
      ),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      const message = uploadTooLargeWords();
      throw new DomainError("invalid_input", message, { fieldErrors: { file: [message] } });
    }
    if (error instanceof TypeError) throw new DomainError("bad_request", "The upload could not be read as a form");
    throw error;
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") fields[key] = value;
  const file = form.get("file") as NodeOnDiskFile | string | null;
  if (!file || typeof file === "string") return { fields, file: null };
  const name = file.name.replace(/^[0-9a-f-]{36}--/, "");
  return { fields, file: { path: file.getFilePath(), name, bytes: file.size } };
}

/**
 * The uploaded file, or DomainError("invalid_input") with `fieldErrors.file`: "Choose a CSV file to upload" when none
 * came, "This file is empty" for a chosen file of 0 bytes.
 */
export function requireFile(file: UploadedFile | null): UploadedFile {
  if (file && file.bytes === 0) {
    throw new DomainError("invalid_input", "This file is empty", { fieldErrors: { file: ["This file is empty"] } });
  }
  if (file) return file;
  throw new DomainError("invalid_input", "Choose a CSV file to upload", {
    fieldErrors: { file: ["Choose a CSV file to upload"] },
  });
}
