import type { AttentionItem } from '@iapeer/contracts';

const KIND_LABEL: Record<AttentionItem['kind'], string> = {
  'crash-loop': '⚠ crash-loop',
  waiting: '● waiting',
  held: '● held',
  'delivery-failed': '✕ delivery failed',
  'service-down': '✕ service down',
};

/** What needs a human, each linking to its peer. */
export function AttentionList({ items, onSelect }: { items: AttentionItem[]; onSelect(p: string): void }) {
  if (items.length === 0) return <p class="empty">Nothing needs you.</p>;
  return (
    <ul class="attention">
      {items.map((a, i) => (
        <li key={i} class={`attention-${a.kind}`}>
          <strong>{KIND_LABEL[a.kind]}</strong>{' '}
          {a.personality ? (
            <button type="button" class="link" onClick={() => onSelect(a.personality!)}>
              {a.text}
            </button>
          ) : (
            a.text
          )}
        </li>
      ))}
    </ul>
  );
}
