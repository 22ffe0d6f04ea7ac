import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogBuilder, openSource, parseDicomHeader, renderThumbnail } from '../../../electron/core/imaging';
import { makeSyntheticDisc } from '../../bench/disc-fixture';
import { missingTools, run } from '../../fixtures/imaging/tools';
import { tempDir } from '../../helpers/temp';

describe.skipIf(missingTools.length > 0)('synthetic disc for the import benchmark', () => {
  it('writes N files of about the requested size, readable as a folder and as an ISO', async () => {
    const dir = path.join(tempDir(), 'disc');
    const iso = path.join(tempDir(), 'disc.iso');
    const disc = await makeSyntheticDisc({ dir, files: 22, bytesPerFile: 600_000, filesPerSeries: 5, seriesPerStudy: 2, iso, dicomdir: true });
    expect(disc.files).toBe(22);
    expect(disc.series).toBe(5);
    expect(disc.studies).toBe(3);
    const sizes = disc.paths.map((p) => fs.statSync(path.join(dir, p)).size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(disc.bytes);
    for (const size of sizes) {
      expect(size).toBeGreaterThan(524_288);
      expect(size).toBeLessThanOrEqual(600_000);
    }
    expect(disc.isoBytes).toBeGreaterThan(disc.bytes);
    // dcmtk accepts the files as DICOM Part 10.
    await run('dcmftest', disc.paths.slice(0, 3).map((p) => path.join(dir, p)));

    for (const location of [dir, iso]) {
      const source = await openSource(location);
      const builder = new CatalogBuilder();
      for await (const entry of source.entries()) {
        if (!entry.path.startsWith('DICOM/')) continue;
        const result = await parseDicomHeader(entry);
        expect(result.ok).toBe(true);
        if (result.ok) builder.add({ ref: entry.path, header: result.header });
      }
      await source.close();
      expect(builder.build().totals).toEqual({ patients: 1, studies: 3, series: 5, instances: 22, frames: 22 });
    }
    const thumb = await renderThumbnail(fs.readFileSync(path.join(dir, disc.paths[7]!)));
    expect(thumb.status === 'ok' && [thumb.width, thumb.height]).toEqual([256, 256]);
  });

  it('makes multi-frame files for large targets and short frames for small ones', async () => {
    const big = await makeSyntheticDisc({ dir: tempDir(), files: 2, bytesPerFile: 3 * 524_288 + 4000 });
    const small = await makeSyntheticDisc({ dir: tempDir(), files: 2, bytesPerFile: 50_000 });
    expect(big.bytes / 2).toBeGreaterThan(3 * 524_288);
    expect(small.bytes / 2).toBeLessThanOrEqual(50_000);
    expect(small.bytes / 2).toBeGreaterThan(45_000);
  });
});
