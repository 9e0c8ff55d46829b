// Test-only inline completion provider (stands in for Copilot & co): on an empty line of
// assist.py it suggests the line stored in the workspace's .assistant-suggestion.txt.
"use strict";
const vscode = require("vscode");

exports.activate = (context) => {
  context.subscriptions.push(vscode.languages.registerInlineCompletionItemProvider({ pattern: "**/assist.py" }, {
    async provideInlineCompletionItems(document, position) {
      if (document.lineAt(position.line).text.trim() !== "") {
        return [];
      }
      const folder = vscode.workspace.getWorkspaceFolder(document.uri);
      if (!folder) {
        return [];
      }
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, ".assistant-suggestion.txt"));
      const text = Buffer.from(bytes).toString("utf8").trim();
      return [new vscode.InlineCompletionItem(text, new vscode.Range(position, position))];
    },
  }));
};
