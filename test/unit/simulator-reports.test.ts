import { SIMULATOR_ADDRESSES, SIMULATOR_DOMAIN, simulatorBehaviour } from '@shared/domain/simulator';
import { describe, expect, it } from 'vitest';
import { analyzeBounce } from '../../src/main/bounces/analyze';
import {
  autoReplyMail,
  complaintReport,
  deliveryStatusNotification,
  type ReceivedMail,
} from '../../src/main/simulator/reports';

const mail = (local: string): ReceivedMail => ({
  returnPath: 'rd-0mx5bdbnqc00ce6ea-1-nzw3xe5vlzkqxhup@shop.example',
  recipient: `${local}@${SIMULATOR_DOMAIN}`,
  header: Buffer.from(
    'From: Shop <orders@shop.example>\r\nTo: <x@simulator.relaydesk.test>\r\nSubject: Order 7\r\nMessage-ID: <m7@shop.example>\r\n\r\n',
  ),
  receivedAt: Date.UTC(2026, 11, 1, 10),
  clientIp: '127.0.0.1',
});
const now = Date.UTC(2026, 11, 1, 10, 1);
const analyse = (raw: string) => analyzeBounce(Buffer.from(raw));

describe("the simulator's reports, read by the bounce analyser", () => {
  it('the DSN is a failed 5.1.1 for the recipient (userunknown, hard), with the original header', () => {
    const report = deliveryStatusNotification(mail('bounce-report'), now);
    expect(report.mailFrom).toBe('');
    expect(report.raw).toContain('Subject: Order 7');
    const analysis = analyse(report.raw);
    expect(analysis.kind).toBe('bounce');
    expect(analysis.recipients).toEqual([
      expect.objectContaining({
        recipient: `bounce-report@${SIMULATOR_DOMAIN}`,
        status: '5.1.1',
        reason: 'userunknown',
        hard: true,
        action: 'failed',
      }),
    ]);
    expect(analysis.originalMessageId).toBe('<m7@shop.example>');
  });

  it('the ARF report is an abuse complaint about the recipient', () => {
    const analysis = analyse(complaintReport(mail('complaint'), now).raw);
    expect(analysis.kind).toBe('complaint');
    expect(analysis.feedbackType).toBe('abuse');
    expect(analysis.recipients[0]).toMatchObject({
      recipient: `complaint@${SIMULATOR_DOMAIN}`,
      reason: 'feedback',
    });
  });

  it('the RFC 3834 reply is an auto-reply from the recipient, answering the original', () => {
    const report = autoReplyMail(mail('auto-reply'), now);
    expect(report.raw).toMatch(/^Auto-Submitted: auto-replied$/m);
    expect(report.raw).toMatch(/^In-Reply-To: <m7@shop\.example>$/m);
    const analysis = analyse(report.raw);
    expect(analysis.kind).toBe('auto-reply');
    expect(analysis.recipients[0]).toMatchObject({
      recipient: `auto-reply@${SIMULATOR_DOMAIN}`,
      reason: 'vacation',
    });
  });

  it('every listed address names its own behaviour; other domains and local parts have none', () => {
    for (const a of SIMULATOR_ADDRESSES)
      expect(simulatorBehaviour(a.address.toUpperCase())).toBe(a.behaviour);
    expect(simulatorBehaviour(`nobody@${SIMULATOR_DOMAIN}`)).toBeUndefined();
    expect(simulatorBehaviour('delivered@example.org')).toBeUndefined();
  });
});
