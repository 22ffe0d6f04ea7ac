import { useId } from 'react';
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue, type Key } from 'react-aria-components';
import { DOCUMENT_TYPES, type DocumentType, type OutputOf } from '../../../../shared/contract';
import { typeLabel } from '../format';

export interface LibraryFilters {
  type?: DocumentType;
  facility?: string;
  tag?: string;
  from?: string;
  to?: string;
}

export function hasFilters(filters: LibraryFilters): boolean {
  return Object.values(filters).some((value) => value !== undefined);
}

const ALL = '__all__';

interface Props {
  filters: LibraryFilters;
  facets: OutputOf<'documents.facets'> | undefined;
  onChange(filters: LibraryFilters): void;
}

/** Narrow the list by type, place, tag and dates. */
export function Filters({ filters, facets, onChange }: Props) {
  const counts = new Map(facets?.types.map((entry) => [entry.type, entry.count]) ?? []);
  const typeOptions = [
    { id: ALL, label: 'All types' },
    ...DOCUMENT_TYPES.filter((type) => counts.has(type) || type === filters.type).map((type) => ({
      id: type,
      label: `${typeLabel(type)} (${(counts.get(type) ?? 0).toLocaleString()})`,
    })),
  ];
  const facilities = (facets?.facilities ?? []).filter((facility) => facility.trim() !== '');
  const facilityOptions = [{ id: ALL, label: 'All places' }, ...facilities.map((facility) => ({ id: facility, label: facility }))];
  const tags = facets?.tags ?? [];
  const tagOptions = [{ id: ALL, label: 'All tags' }, ...tags.map((tag) => ({ id: tag, label: tag }))];
  const set = (change: Partial<LibraryFilters>) => onChange(withoutEmpty({ ...filters, ...change }));
  const rangeBackwards = filters.from && filters.to && filters.from > filters.to;

  return (
    <div className="filters" role="group" aria-label="Show only">
      <FilterSelect
        label="Type"
        options={typeOptions}
        selected={filters.type ?? ALL}
        onSelect={(key) => set({ type: key === ALL ? undefined : (key as DocumentType) })}
      />
      {facilities.length > 0 || filters.facility ? (
        <FilterSelect
          label="Place"
          options={filters.facility && !facilities.includes(filters.facility) ? [...facilityOptions, { id: filters.facility, label: filters.facility }] : facilityOptions}
          selected={filters.facility ?? ALL}
          onSelect={(key) => set({ facility: key === ALL ? undefined : String(key) })}
        />
      ) : null}
      {tags.length > 0 || filters.tag ? (
        <FilterSelect
          label="Tag"
          options={filters.tag && !tags.includes(filters.tag) ? [...tagOptions, { id: filters.tag, label: filters.tag }] : tagOptions}
          selected={filters.tag ?? ALL}
          onSelect={(key) => set({ tag: key === ALL ? undefined : String(key) })}
        />
      ) : null}
      <DateFilter label="From" value={filters.from} onChange={(from) => set({ from })} />
      <DateFilter label="To" value={filters.to} onChange={(to) => set({ to })} />
      {rangeBackwards ? (
        <p className="field-error filters-note" role="alert">
          The “From” date is after the “To” date, so nothing can match.
        </p>
      ) : null}
    </div>
  );
}

function withoutEmpty(filters: LibraryFilters): LibraryFilters {
  const result: LibraryFilters = {};
  for (const [key, value] of Object.entries(filters) as [keyof LibraryFilters, string | undefined][]) {
    if (value !== undefined && value !== '') (result as Record<string, string>)[key] = value;
  }
  return result;
}

function FilterSelect(props: { label: string; options: { id: string; label: string }[]; selected: string; onSelect(key: Key): void }) {
  return (
    <Select
      className="field filter"
      selectedKey={props.selected}
      onSelectionChange={(key) => {
        if (key !== null && key !== props.selected) props.onSelect(key);
      }}
    >
      <Label className="field-label">{props.label}</Label>
      <Button className="button button-secondary select-button filter-button">
        <SelectValue />
        <span aria-hidden="true" className="select-chevron">
          ▾
        </span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox" items={props.options}>
          {(item) => (
            <ListBoxItem id={item.id} className="listbox-item" textValue={item.label}>
              {item.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}

function DateFilter({ label, value, onChange }: { label: string; value: string | undefined; onChange(value: string | undefined): void }) {
  const id = useId();
  return (
    <div className="field filter">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="date"
        className="input date-filter"
        value={value ?? ''}
        min="1900-01-01"
        max="2100-12-31"
        onChange={(event) => {
          const next = event.currentTarget.value;
          // While a year is being typed the box briefly holds years like 0002; wait for a real one.
          if (next === '') onChange(undefined);
          else if (/^\d{4}-\d{2}-\d{2}$/.test(next) && next >= '1900') onChange(next);
        }}
      />
    </div>
  );
}
