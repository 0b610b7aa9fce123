// The library's own runner in one process, the baseline of the `scale` section: the same DELETE
// per file as the CLI, through deleteFileMetadataValuesStream at the same concurrency, the IDs
// generated in memory. Arguments: <dist/esm/index.js> <baseUrl> <files> <concurrency>. Prints the
// number of files that succeeded.
const [indexPath, baseUrl, files, concurrency] = process.argv.slice(2);
const { createOracleDocumentsClient } = await import(indexPath);
const client = createOracleDocumentsClient({ baseUrl, auth: { username: 'bench', password: 'bench-password' } });
function* items() {
  for (let i = 0; i < Number(files); i++) yield { fileId: `S${i}`, collection: 'CollectionA', fields: ['A1'] };
}
let ok = 0;
for await (const result of client.deleteFileMetadataValuesStream(items(), { concurrency: Number(concurrency) })) {
  if (result.ok) ok++;
}
await client.close();
process.stdout.write(`${ok}\n`);
