/**
 * §6.2 step 2, the telegram sender guard: a message may go out on the telegram
 * channel only from a sender that has a telegram face (a bot) in its registry
 * record. Checked on the intended channel before any side effect, and again on
 * every resolved delivery point.
 */
import type { RoutedPeer } from '../ports';
import { sendErrors } from './send-errors';

/** `interfaces.telegram.bot` (0.2.x) or `bot_username` (later), non-empty. */
export function hasTelegramFace(sender: RoutedPeer): boolean {
  const telegram = sender.interfaces?.telegram;
  if (typeof telegram !== 'object' || telegram === null) return false;
  const { bot, bot_username } = telegram as { bot?: unknown; bot_username?: unknown };
  return (typeof bot === 'string' && bot.trim() !== '') || (typeof bot_username === 'string' && bot_username.trim() !== '');
}

export function assertTelegramPolicy(channel: string, sender: RoutedPeer): void {
  if (channel === 'telegram' && !hasTelegramFace(sender)) throw sendErrors.telegramPolicy(sender.personality);
}
