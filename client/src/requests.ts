import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** Sends a request; a refusal (a file that cannot be read, a folder that is not a project) becomes a message. */
export async function request<T>(
  client: LanguageClient,
  method: string,
  params: object,
): Promise<T | undefined> {
  try {
    return await client.sendRequest<T>(method, params);
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Kodkarta: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
