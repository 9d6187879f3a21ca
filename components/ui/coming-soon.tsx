import { Card } from "./card";
import { PageHeader } from "./page-header";

/** Placeholder for sections whose pages arrive with later issues. */
export function ComingSoon({ title, description }: { title: string; description: string }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <Card className="p-10 text-center text-sm text-zinc-500 dark:text-zinc-400">
        This section is not built yet. Its data is already available from the CLI (<code className="font-mono">npx tsx bin/writ.ts help</code>).
      </Card>
    </>
  );
}
